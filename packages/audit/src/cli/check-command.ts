import { mkdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { AuditError } from "../errors.js";
import { REPORT_FILES, renderReport } from "../report/index.js";
import type { Severity } from "../report/model.js";
import { exitCodeFor, parseFailOn } from "./audit-command.js";
import { parseFormats, type ReportFormat } from "./formats.js";

/** Options of `sessionguard check`. */
export interface CheckCommandOptions {
  readonly out: string;
  readonly format: string;
  readonly failOn: string;
  readonly quiet?: boolean;
}

const COLOR: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  info: pc.dim,
};

/**
 * Runs `sessionguard check [path...]` (SPEC §5): static checks on JS/TS,
 * PHP and ini files, the audit's report formats (SARIF with physical
 * locations) and exit codes (0 clean, 1 a finding at or above `--fail-on`,
 * 2 usage error). The parsers load only here.
 */
export async function checkCommand(paths: readonly string[], options: CheckCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const failOn = parseFailOn(options.failOn);
  if (options.out === "-" && formats.length !== 1)
    throw new AuditError("ERR_USAGE", "--out - writes to stdout and needs exactly one --format (e.g. --format sarif)");
  const targets = paths.length === 0 ? ["."] : [...paths];
  for (const path of targets) {
    try {
      await stat(path);
    } catch {
      throw new AuditError("ERR_USAGE", `${path} does not exist`);
    }
  }
  const startedAt = new Date();
  const [{ checkFiles }, { staticReport }, { renderStaticSarif }] = await Promise.all([
    import("../static/check-files.js"),
    import("../static/to-report.js"),
    import("../static/sarif.js"),
  ]);
  const outcome = await checkFiles(targets);
  const verification = `npx sessionguard check ${targets.join(" ")} --fail-on ${failOn}`;
  const report = staticReport(outcome, targets.join(" "), startedAt, verification);
  const render = (format: ReportFormat): string =>
    format === "sarif" ? renderStaticSarif(outcome) : renderReport(report, format);
  const written: string[] = [];
  if (options.out === "-") process.stdout.write(render(formats[0] as ReportFormat));
  else {
    const dir = resolve(options.out);
    try {
      await mkdir(dir, { recursive: true });
      for (const format of formats) {
        const path = join(dir, REPORT_FILES[format]);
        await writeFile(path, render(format), "utf8");
        written.push(path);
      }
    } catch (error) {
      throw new AuditError(
        "ERR_USAGE",
        `cannot write the report to ${dir}: ${(error as { code?: string }).code ?? "error"}`,
      );
    }
  }
  if (options.quiet !== true) {
    const stream = options.out === "-" ? process.stderr : process.stdout;
    const lines = outcome.findings.map(
      (f) =>
        `${f.file}:${f.line}:${f.column}  ${COLOR[f.severity](f.severity.padEnd(8))} ${f.ruleId.padEnd(31)} ${f.message}`,
    );
    lines.push(
      `${pc.bold("sessionguard check")} — ${outcome.files} files, ${outcome.findings.length} findings, risk: ${report.summary.risk}` +
        (outcome.suppressed.length > 0 ? `, ${outcome.suppressed.length} suppressed` : "") +
        (outcome.failures.length > 0 ? `, ${outcome.failures.length} not parsed` : ""),
    );
    for (const u of outcome.unjustified)
      lines.push(`  ${u.file}:${u.line}: sessionguard-ignore without a reason (ignored)`);
    if (written.length > 0) lines.push(`  report: ${written.join(", ")}`);
    stream.write(`${lines.join("\n")}\n`);
  }
  return exitCodeFor(report, failOn);
}
