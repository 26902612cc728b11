import { SEVERITIES } from "../report/model.js";
import { measureTokens } from "../tokens/analyze.js";
import type { TokenAnalysis, TokenAnalysisOptions, TokenSample } from "../tokens/index.js";
import { summarizeTokens } from "../tokens/summary.js";
import { TOKEN_CHECKS } from "./index.js";
import type { TokenCheck } from "./lib/token-check.js";

/**
 * Analyse captured session tokens: measure them once, let every `token-*`
 * check judge the measurements, and summarise for the report.
 *
 * Runs with any number of samples; fewer than 100 add a reliability warning
 * and leave `token-bias` (and a purely statistical `token-entropy`)
 * `inconclusive`, while the structure detectors already work from about 10.
 * 5,000 samples are reliable for most purposes, 20,000 give exact FIPS
 * 140-2 blocks per bit position. 20,000 tokens of 32 bytes take about half a second.
 *
 * @param samples tokens in the order the target issued them
 * @param options policy (defaults: 64 effective bits, 128 raw bits)
 * @param checks the token checks that judge (default: those of the registry)
 * @returns the summary for the report, one verdict per token check, and the prediction if any
 */
export function analyzeTokens(
  samples: readonly TokenSample[],
  options: TokenAnalysisOptions = {},
  checks: readonly TokenCheck[] = TOKEN_CHECKS,
): TokenAnalysis {
  const facts = measureTokens(samples, options);
  const verdicts = checks.map((check) => check.judge(facts));
  // The summary quotes the most severe vulnerable verdict (registry order among equals).
  const rank = (id: string): number =>
    SEVERITIES.indexOf(checks.find((c) => c.id === id)?.catalogue.severity ?? "info");
  const worst = verdicts.filter((v) => v.status === "vulnerable").sort((a, b) => rank(a.id) - rank(b.id))[0];
  const { summary, prediction } = summarizeTokens(facts, worst);
  return { summary, verdicts, prediction };
}
