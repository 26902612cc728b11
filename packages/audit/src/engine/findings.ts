import { cweNamesOf } from "../checks/lib/cwe-names.js";
import type { Check, CheckOutcome } from "../checks/types.js";
import type { CheckResult, Finding, Rule } from "../report/model.js";

/**
 * A finding from a vulnerable outcome: the observation leads, the check's
 * catalogue entry (title, CWE, ASVS, impact, fixes, references) supplies the rest.
 * @param verification - the command that re-runs the audit
 */
export function toFinding(check: Check, o: CheckOutcome, verification: string): Finding {
  const entry = check.catalogue;
  return {
    id: check.id,
    code: `${check.id}/${o.variant ?? "vulnerable"}`,
    args: o.args ?? {},
    title: entry.title,
    severity: o.severity ?? entry.severity,
    confidence: o.confidence ?? "firm",
    cwe: entry.cwe,
    asvs: entry.asvs,
    description: `${o.reason.endsWith(".") ? o.reason : `${o.reason}.`} ${entry.description}`,
    impact: entry.impact,
    likelihood: entry.likelihood,
    evidence: o.evidence ?? [],
    reproduce: o.reproduce ?? [],
    recommendation: entry.recommendation,
    fixes: entry.fixes,
    verification: `${verification}   # ${entry.retest}`,
    references: entry.references,
    retest: entry.retest,
    headline: entry.headline,
    action: entry.action,
    cweNames: cweNamesOf(entry.cwe),
  };
}

/** The report's description of a check (SARIF rule, result title). */
export function toRule(check: Check): Rule {
  const e = check.catalogue;
  return {
    id: check.id,
    title: e.title,
    severity: e.severity,
    cwe: e.cwe,
    asvs: e.asvs,
    description: e.description,
    recommendation: e.recommendation,
    fixes: e.fixes,
    references: e.references,
    retest: e.retest,
  };
}

/**
 * Results, findings and rules of a run, in the order of `checks` (the registry's order).
 * A check without an outcome is reported `skipped`.
 */
export function collect(
  checks: readonly Check[],
  outcomes: ReadonlyMap<string, CheckOutcome>,
  verification: string,
): { results: CheckResult[]; findings: Finding[]; rules: Rule[] } {
  const results = checks.map((c): CheckResult => {
    const o = outcomes.get(c.id);
    return { id: c.id, status: o?.status ?? "skipped", reason: o?.reason ?? "not selected for this run" };
  });
  const findings = checks.flatMap((c) => {
    const o = outcomes.get(c.id);
    return o?.status === "vulnerable" ? [toFinding(c, o, verification)] : [];
  });
  return { results, findings, rules: checks.map(toRule) };
}
