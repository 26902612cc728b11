import { ALL_CHECKS } from "../checks/index.js";
import { loadConfigFile, resolveConfig } from "../config/load.js";
import { silentProgress, streamProgress } from "../engine/progress.js";
import { runAudit } from "../engine/run.js";
import { AuditError } from "../errors.js";
import type { Budget } from "../http/budget.js";
import { type Report, SEVERITIES, type Severity } from "../report/model.js";
import { parseFormats } from "./formats.js";
import { formatSummary } from "./summary.js";
import { writeReport } from "./write-report.js";

/** Options of `sessionguard audit` (SPEC §2.1). */
export interface AuditCommandOptions {
  readonly config?: string;
  readonly out: string;
  readonly format: string;
  readonly samples: string;
  readonly failOn: string;
  readonly quiet?: boolean;
}

/** Default number of tokens sampled (Burp Sequencer's "reliable for most purposes"). */
export const DEFAULT_SAMPLES = 5000;

/** Parses `--samples`: at least 100 (the floor for any statistics), at most 200,000. */
export function parseSamples(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 100 || n > 200_000) {
    throw new AuditError(
      "ERR_USAGE",
      "--samples must be a whole number from 100 to 200000 (5000 is reliable, 20000 FIPS-grade)",
    );
  }
  return n;
}

/** Parses `--fail-on`. */
export function parseFailOn(text: string): Severity | "none" {
  const value = text.toLowerCase();
  if (value === "none" || (SEVERITIES as readonly string[]).includes(value)) return value as Severity | "none";
  throw new AuditError("ERR_USAGE", "--fail-on must be one of critical, high, medium, low, info, none");
}

/** Exit code for a completed audit: 1 when a finding is at or above `failOn`. */
export function exitCodeFor(report: Report, failOn: Severity | "none"): 0 | 1 {
  if (failOn === "none") return 0;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit) ? 1 : 0;
}

/** Runs `sessionguard audit <url>`; returns the exit code. */
export async function auditCommand(url: string | undefined, options: AuditCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const samples = parseSamples(options.samples);
  const failOn = parseFailOn(options.failOn);
  if (options.out === "-" && formats.length !== 1) {
    throw new AuditError("ERR_USAGE", "--out - writes to stdout and needs exactly one --format (e.g. --format json)");
  }
  const config = options.config === undefined ? resolveConfig({}, url) : await loadConfigFile(options.config, url);
  const progress = (budget: Budget) =>
    options.quiet === true ? silentProgress : streamProgress(process.stderr, budget);
  const verification = [
    "npx sessionguard audit",
    config.target.href,
    ...(options.config === undefined ? [] : ["--config", options.config]),
    ...(samples === DEFAULT_SAMPLES ? [] : ["--samples", String(samples)]),
    "--fail-on",
    failOn,
  ].join(" ");
  const report = await runAudit({ config, samples, checks: ALL_CHECKS, progress, verification });
  const written = await writeReport(report, formats, options.out, process.stdout);
  if (options.quiet !== true) {
    (options.out === "-" ? process.stderr : process.stdout).write(formatSummary(report, written));
  }
  return exitCodeFor(report, failOn);
}
