import { AuditError } from "../errors.js";
import { type Report, SEVERITIES, type Severity } from "../report/model.js";

/** A `--fail-on` threshold: a severity, or `none` to never fail. */
export type FailOn = Severity | "none";

/**
 * Whether a report has a finding at or above `failOn` — the rule behind the
 * CLI's exit code 1 (SPEC §2.1), for gating CI from code.
 *
 * @param report - a report from {@link runAudit} or {@link analyzeTokens}
 * @param failOn - the lowest severity that fails; `none` never fails. The CLI's default is `high`.
 * @throws {@link AuditError} `ERR_USAGE` for a threshold that is not a severity (a typo must not open the gate)
 */
export function hasFindingAtOrAbove(report: Pick<Report, "findings">, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  const limit = SEVERITIES.indexOf(failOn);
  if (limit < 0) {
    throw new AuditError(
      "ERR_USAGE",
      `unknown severity "${String(failOn).slice(0, 20)}"; use one of ${SEVERITIES.join(", ")} or none`,
    );
  }
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
