import { ALL_CHECKS, TOKEN_CHECKS } from "../checks/index.js";
import { verdictOutcome } from "../checks/lib/token-check.js";
import { analyzeTokens as analyzeSamples } from "../checks/token-analysis.js";
import type { CheckOutcome } from "../checks/types.js";
import { collect } from "../engine/findings.js";
import { AuditError } from "../errors.js";
import { countBySeverity, type Report, riskOf } from "../report/model.js";
import { Redactor, redactReport } from "../report/redact.js";
import type { TokenSample } from "../tokens/index.js";
import { VERSION } from "../version.js";

export { parseTokenList, type TokenSample } from "../tokens/index.js";

/** Options of {@link analyzeTokens}. */
export interface AnalyzeTokensOptions {
  /** `policy.minEntropyBits`: effective entropy below this is a `token-entropy` finding. Default 64. */
  readonly minEntropyBits?: number;
  /** Raw variable bits below this are a `token-length` finding. Default 128. */
  readonly minRawBits?: number;
  /** What the report names as its `target` (e.g. the file the tokens came from). Default `"token list"`. */
  readonly source?: string;
  /** The command that re-runs this analysis, quoted in each finding. Default `npx sessionguard tokens <file>`. */
  readonly verification?: string;
}

const LIVE_ONLY = "token-list analysis only: this check needs a live target (sessionguard audit)";

/**
 * Analyses captured session tokens, as `sessionguard tokens` does (a manual
 * load into a sequencer, SPEC §2.5): per-position and per-bit statistics,
 * min-entropy estimates and the structure detectors (counters, timestamps,
 * hashes of either, duplicates, decodable data). Pure: no I/O.
 *
 * From about 10 tokens the structure detectors work; statistics need 100
 * (fewer leave `token-bias` `inconclusive`); 5,000 are reliable for most
 * purposes. Timestamps (`receivedAt`, `serverDate`) let the detectors test
 * time-derived generators.
 *
 * @param tokens - the tokens in the order they were issued: strings, or samples with receive times
 *   (see {@link parseTokenList} for a pasted list)
 * @param options - policy floors and the report's labels
 * @returns a report model with one result per check id (the `token-*` ones judged, the others
 *   `not-applicable`), the findings and the token summary; the tokens themselves are redacted
 * @throws {@link AuditError} `ERR_INPUT` for an empty list; `ERR_USAGE` for a bad policy option
 */
export function analyzeTokens(tokens: readonly (string | TokenSample)[], options: AnalyzeTokensOptions = {}): Report {
  const startedAt = new Date();
  const minEntropyBits = options.minEntropyBits ?? 64;
  for (const [name, value] of [
    ["minEntropyBits", minEntropyBits],
    ["minRawBits", options.minRawBits ?? 128],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new AuditError("ERR_USAGE", `${name} must be a whole number of bits, e.g. 64`);
    }
  }
  const samples = tokens.map((t) => (typeof t === "string" ? { value: t } : t));
  if (samples.length === 0) throw new AuditError("ERR_INPUT", "no tokens to analyse");
  const analysis = analyzeSamples(
    samples,
    { minEntropyBits, ...(options.minRawBits === undefined ? {} : { minRawBits: options.minRawBits }) },
    TOKEN_CHECKS,
  );
  const source = options.source ?? "token list";
  const verification = options.verification ?? `npx sessionguard tokens ${source === "token list" ? "<file>" : source}`;
  const outcomes = new Map<string, CheckOutcome>();
  for (const check of ALL_CHECKS) outcomes.set(check.id, { status: "not-applicable", reason: LIVE_ONLY });
  for (const verdict of analysis.verdicts) outcomes.set(verdict.id, verdictOutcome(verdict));
  const { results, findings, rules } = collect(ALL_CHECKS, outcomes, verification);
  const report: Report = {
    tool: "sessionguard",
    version: VERSION,
    target: source,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    summary: { risk: riskOf(findings), counts: countBySeverity(findings) },
    results,
    findings,
    tokens: { ...analysis.summary, minEntropyBits },
    verification,
    rules,
  };
  const redactor = new Redactor();
  for (const sample of samples) redactor.add(sample.value);
  return redactReport(report, redactor);
}
