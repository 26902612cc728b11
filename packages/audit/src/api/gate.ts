import { type Report, SEVERITIES, type Severity } from "../report/model.js";

/** A `--fail-on` threshold: a severity, or `none` to never fail. */
export type FailOn = Severity | "none";

/**
 * Whether a report has a finding at or above `failOn` — the rule behind the
 * CLI's exit code 1 (SPEC §2.1), for gating CI from code.
 *
 * @param report - a report from {@link runAudit} or {@link analyzeTokens}
 * @param failOn - the lowest severity that fails; `none` never fails. The CLI's default is `high`.
 */
export function hasFindingAtOrAbove(report: Pick<Report, "findings">, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
