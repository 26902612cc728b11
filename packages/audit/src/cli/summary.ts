import pc from "picocolors";
import type { Report, Severity } from "../report/model.js";

const COLOR: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
  info: pc.dim,
};

/** A short plain-text summary of a report for the terminal. */
export function formatSummary(report: Report, written: readonly string[]): string {
  const { counts, risk } = report.summary;
  const lines = [
    `${pc.bold("sessionguard")} ${report.target} — risk: ${risk === "none" ? pc.green("none") : COLOR[risk](risk)}`,
    `  findings: ${(Object.keys(counts) as Severity[]).map((s) => `${counts[s]} ${s}`).join(", ")}`,
  ];
  for (const f of report.findings)
    lines.push(`  ${COLOR[f.severity](f.severity.padEnd(8))} ${f.id.padEnd(31)} ${f.title}`);
  const inconclusive = report.results.filter((r) => r.status === "inconclusive");
  if (inconclusive.length > 0)
    lines.push(`  inconclusive: ${inconclusive.map((r) => r.id).join(", ")} (see the report for why)`);
  if (report.tokens.samples > 0) {
    lines.push(
      `  tokens: ${report.tokens.samples} samples, ~${bits(report.tokens.effectiveEntropyBits)} effective entropy${report.tokens.generator === null ? "" : `, generator: ${report.tokens.generator}`}`,
    );
  }
  if (written.length > 0) lines.push(`  report: ${written.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function bits(value: number): string {
  const n = Math.round(value);
  return `${n} bit${n === 1 ? "" : "s"}`;
}
