import { CATALOGUE } from "../checks/catalogue.js";
import type { CheckOutcome } from "../checks/types.js";
import type { CheckId, Finding } from "../report/model.js";

/**
 * A finding from a vulnerable outcome: the observation leads, the catalogue
 * (title, CWE, ASVS, impact, fixes, references) supplies the rest.
 * @param verification - the command that re-runs the audit
 */
export function toFinding(id: CheckId, o: CheckOutcome, verification: string): Finding {
  const entry = CATALOGUE[id];
  return {
    id,
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
  };
}
