/**
 * The token-analysis pipeline: layout → bit matrix → statistics and
 * estimators → structure detectors, giving the {@link Facts} the `token-*`
 * checks judge. Pure computation: no I/O, no clock, no randomness, so the
 * same samples always give the same report.
 */
import { type BitTests, runBitTests } from "./bit-tests.js";
import { byteStats } from "./byte-stats.js";
import { runCharTests } from "./char-tests.js";
import { findDuplicates } from "./detectors/duplicates.js";
import { findReadable } from "./detectors/readable.js";
import { effectiveEntropy } from "./effective-entropy.js";
import type { Facts } from "./facts.js";
import type { TokenAnalysisOptions, TokenSample } from "./index.js";
import { detectLayout } from "./layout.js";
import { buildMatrix } from "./matrix.js";
import { estimateMinEntropy, MAX_ESTIMATOR_BITS } from "./min-entropy.js";
import { analysedBytes, bitStream } from "./stream.js";
import { detectStructure } from "./structure.js";

/** Default `policy.minEntropyBits` (OWASP: at least 64 bits of entropy). */
export const DEFAULT_MIN_ENTROPY_BITS = 64;
/** Default raw-bit floor for `token-length` (SPEC §2.3: < 128 bits is a finding). */
export const DEFAULT_MIN_RAW_BITS = 128;

/**
 * Measure captured session tokens: everything the `token-*` checks judge
 * (see `analyzeTokens` for the verdicts and the report summary).
 * @param samples tokens in the order the target issued them
 * @param options policy (defaults: 64 effective bits, 128 raw bits)
 */
export function measureTokens(samples: readonly TokenSample[], options: TokenAnalysisOptions = {}): Facts {
  const values = samples.map((s) => s.value);
  const n = values.length;
  const layout = detectLayout(values);
  const matrix = buildMatrix(layout, n);
  const bits: BitTests = runBitTests(matrix);
  const chars = runCharTests(matrix);
  const effective = effectiveEntropy(matrix, bits, chars.tests);
  const estimates = estimateMinEntropy(bitStream(matrix, MAX_ESTIMATOR_BITS));
  const facts: Facts = {
    n,
    minEntropyBits: options.minEntropyBits ?? DEFAULT_MIN_ENTROPY_BITS,
    minRawBits: options.minRawBits ?? DEFAULT_MIN_RAW_BITS,
    layout,
    matrix,
    bits,
    chars: chars.tests,
    effective,
    estimates,
    bytes: byteStats(analysedBytes(matrix)),
    duplicates: findDuplicates(values),
    readable: findReadable(values),
    structure: detectStructure(layout, samples),
  };
  return facts;
}
