import type { CheckResult, Finding, Report, Rule } from "../report/model.js";
import { countBySeverity, riskOf } from "../report/model.js";
import { VERSION } from "../version.js";
import { STATIC_CATALOGUE } from "./catalogue.js";
import type { CheckOutcome } from "./check-files.js";
import type { StaticFinding } from "./finding.js";

/** The language of a finding's file: part of its stable code, so a baseline tells a PHP flaw from a JS one. */
function languageOf(file: string): string {
  if (file.endsWith(".ini")) return "ini";
  if (file.endsWith(".php")) return "php";
  return /\.[cm]?tsx?$/.test(file) ? "ts" : "js";
}

const RETEST = "`sessionguard check` no longer reports this line";

/** The report's description of a static rule (SARIF rule, result title). */
function toRule(id: string): Rule {
  const entry = STATIC_CATALOGUE.get(id);
  return {
    id,
    title: entry?.title ?? id,
    severity: entry?.severity ?? "info",
    cwe: entry?.cwe ?? [],
    asvs: [],
    description: entry?.title ?? id,
    recommendation: entry === undefined ? "" : `See ${entry.docs}`,
    fixes: [],
    references: entry === undefined ? [] : [entry.docs],
    retest: RETEST,
  };
}

function toFinding(f: StaticFinding, verification: string): Finding {
  const entry = STATIC_CATALOGUE.get(f.ruleId);
  return {
    id: f.ruleId,
    code: `${f.ruleId}/${languageOf(f.file)}`,
    args: { file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn },
    title: entry?.title ?? f.ruleId,
    severity: f.severity,
    confidence: "firm",
    cwe: entry?.cwe ?? [],
    asvs: [],
    description: `${f.file}:${f.line}:${f.column} — ${f.message}`,
    impact: f.message,
    likelihood: "Found in source code: every deployment built from this code carries it.",
    evidence: [`${f.file}:${f.line}:${f.column}\n${f.snippet}`],
    reproduce: [`npx sessionguard check ${f.file}`],
    recommendation: `Change ${f.file} line ${f.line} as the fix shows.`,
    fixes: [{ platform: f.file.endsWith(".ini") ? "php.ini" : f.file.endsWith(".php") ? "php" : "code", code: f.fix }],
    verification,
    references: entry === undefined ? [] : [entry.docs],
    retest: RETEST,
  };
}

/**
 * The report model of a `check` run: one finding per static finding (file,
 * line and snippet in `evidence`, the fix in `fixes`), one result per id seen,
 * and the suppressed findings listed with their reasons in `results`.
 */
export function staticReport(outcome: CheckOutcome, target: string, startedAt: Date, verification: string): Report {
  const findings = outcome.findings.map((f) => toFinding(f, verification));
  const ids = new Set([...outcome.findings.map((f) => f.ruleId), ...outcome.suppressed.map((s) => s.finding.ruleId)]);
  const results: CheckResult[] = [...ids].sort().map((id) => {
    const hits = outcome.findings.filter((f) => f.ruleId === id).length;
    const silenced = outcome.suppressed.filter((s) => s.finding.ruleId === id);
    const listed = silenced.map((s) => `${s.finding.file}:${s.finding.line} (${s.reason})`).join("; ");
    return {
      id,
      status: hits > 0 ? "vulnerable" : "passed",
      reason: [
        hits > 0 ? `${hits} finding${hits === 1 ? "" : "s"} in code.` : "No finding left in code.",
        silenced.length > 0 ? `Suppressed with a reason: ${listed}.` : "",
      ]
        .filter((s) => s !== "")
        .join(" "),
    };
  });
  for (const u of outcome.unjustified)
    results.push({
      id: "code-suppression",
      status: "inconclusive",
      reason: `${u.file}:${u.line}: sessionguard-ignore without a reason silences nothing (write "sessionguard-ignore <id> : <reason>").`,
    });
  for (const failure of outcome.failures)
    results.push({
      id: "code-parse",
      status: "inconclusive",
      reason: `${failure.file}: not parsed (${failure.message})`,
    });
  return {
    tool: "sessionguard",
    version: VERSION,
    target,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    summary: { risk: riskOf(findings), counts: countBySeverity(findings) },
    results,
    findings,
    tokens: { samples: 0, bitsPerToken: 0, effectiveEntropyBits: 0, generator: null },
    verification,
    rules: [...ids].sort().map(toRule),
  };
}
