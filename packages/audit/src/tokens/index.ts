/**
 * Token analysis (SPEC §2.3 `token-*`, §2.5): statistics, SP 800-90B-style
 * min-entropy estimates and the structure detectors that statistics cannot
 * replace, with a prediction of the next tokens when a generator is found.
 */
import type { CheckId } from "../checks/index.js";
import type { CheckStatus, Confidence, FindingArgs, TokenSummary } from "../report/model.js";

export { analyzeTokens } from "../checks/token-analysis.js";
export { measureTokens } from "./analyze.js";
export type { DecodedEncoding, DecodedLayer, SensitiveField, SensitiveKind } from "./decode.js";
export { decodeValue, findSensitiveFields } from "./decode.js";
export type { Facts } from "./facts.js";
export { parseTokenList } from "./parse-list.js";

/** One captured token, in the order the target issued them. */
export interface TokenSample {
  /** The token exactly as issued (cookie value). */
  readonly value: string;
  /** Local clock when the response arrived, ms since the Unix epoch. Enables timestamp and hash-of-time detection. */
  readonly receivedAt?: number;
  /** The response `Date` header, ms since the Unix epoch (second resolution). The server's clock, when it differs from ours. */
  readonly serverDate?: number;
}

/** Policy for {@link analyzeTokens}. */
export interface TokenAnalysisOptions {
  /** `policy.minEntropyBits`: effective entropy below this is a `token-entropy` finding. Default 64. */
  readonly minEntropyBits?: number;
  /** Raw variable bits below this are a `token-length` finding. Default 128. */
  readonly minRawBits?: number;
}

/** The `token-*` check ids (SPEC §2.3), derived from the check registry. */
export type TokenCheckId = Extract<CheckId, `token-${string}`>;

/** The result of one `token-*` check. */
export interface TokenVerdict {
  /** The `token-*` check id that judged. */
  readonly id: `token-${string}`;
  readonly status: CheckStatus;
  /** Plain words with the figures behind them. Tokens appear only shortened (`a1b2c3…`). */
  readonly reason: string;
  readonly confidence: Confidence;
  /** Supporting figures, one per line. */
  readonly evidence: readonly string[];
  /** For `vulnerable`: the form of the flaw, e.g. `below-policy` (the finding's code is `<id>/<variant>`). */
  readonly variant?: string;
  /** For `vulnerable`: the figures behind the reason. */
  readonly args?: FindingArgs;
}

/** An identified generator and its next outputs. */
export interface Prediction {
  /** Plain words, e.g. `md5 of a counter (hex)`. */
  readonly generator: string;
  /** Next candidate tokens, most likely first, at most 20. Secrets: redact in reports. */
  readonly next: readonly string[];
}

/** Everything {@link analyzeTokens} found. */
export interface TokenAnalysis {
  readonly summary: TokenSummary;
  /** One verdict per token check, in the registry's order. */
  readonly verdicts: readonly TokenVerdict[];
  readonly prediction: Prediction | null;
}
