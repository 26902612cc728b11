import { DEFAULT_SAMPLES, MAX_SAMPLES, MIN_SAMPLES, runAudit } from "../api/audit.js";
import { loadConfig, parseConfig } from "../api/config.js";
import { type FailOn, hasFindingAtOrAbove } from "../api/gate.js";
import { silentProgress, streamProgress } from "../engine/progress.js";
import { AuditError } from "../errors.js";
import type { Budget } from "../http/budget.js";
import { type Report, SEVERITIES } from "../report/model.js";
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

export { DEFAULT_SAMPLES } from "../api/audit.js";

/** Parses `--samples`: at least 100 (the floor for any statistics), at most 200,000. */
export function parseSamples(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < MIN_SAMPLES || n > MAX_SAMPLES) {
    throw new AuditError(
      "ERR_USAGE",
      `--samples must be a whole number from ${MIN_SAMPLES} to ${MAX_SAMPLES} (5000 is reliable, 20000 FIPS-grade)`,
    );
  }
  return n;
}

/** Parses `--fail-on`. */
export function parseFailOn(text: string): FailOn {
  const value = text.toLowerCase();
  if (value === "none" || (SEVERITIES as readonly string[]).includes(value)) return value as FailOn;
  throw new AuditError("ERR_USAGE", "--fail-on must be one of critical, high, medium, low, info, none");
}

/** Exit code for a completed audit: 1 when a finding is at or above `failOn`. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  return hasFindingAtOrAbove(report, failOn) ? 1 : 0;
}

/** Runs `sessionguard audit <url>`; returns the exit code. */
export async function auditCommand(url: string | undefined, options: AuditCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const samples = parseSamples(options.samples);
  const failOn = parseFailOn(options.failOn);
  if (options.out === "-" && formats.length !== 1) {
    throw new AuditError("ERR_USAGE", "--out - writes to stdout and needs exactly one --format (e.g. --format json)");
  }
  const target = url === undefined ? {} : { target: url };
  const config = options.config === undefined ? parseConfig({}, target) : await loadConfig(options.config, target);
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
  const report = await runAudit(config, { samples, progress, verification });
  const written = await writeReport(report, formats, options.out, process.stdout);
  if (options.quiet !== true) {
    (options.out === "-" ? process.stderr : process.stdout).write(formatSummary(report, written));
  }
  return exitCodeFor(report, failOn);
}
