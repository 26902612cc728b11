/**
 * The token-analysis pipeline: layout → bit matrix → statistics and
 * estimators → structure detectors → verdicts. Pure computation: no I/O,
 * no clock, no randomness, so the same samples always give the same report.
 */
import { type BitTests, runBitTests } from "./bit-tests.js";
import { byteStats } from "./byte-stats.js";
import { runCharTests } from "./char-tests.js";
import { findDuplicates } from "./detectors/duplicates.js";
import { findReadable } from "./detectors/readable.js";
import { effectiveEntropy } from "./effective-entropy.js";
import type { TokenAnalysis, TokenAnalysisOptions, TokenSample } from "./index.js";
import { detectLayout } from "./layout.js";
import { buildMatrix } from "./matrix.js";
import { estimateMinEntropy, MAX_ESTIMATOR_BITS } from "./min-entropy.js";
import { analysedBytes, bitStream } from "./stream.js";
import { detectStructure } from "./structure.js";
import { buildVerdicts, type Facts } from "./verdicts.js";

/** Default `policy.minEntropyBits` (OWASP: at least 64 bits of entropy). */
export const DEFAULT_MIN_ENTROPY_BITS = 64;
/** Default raw-bit floor for `token-length` (SPEC §2.3: < 128 bits is a finding). */
export const DEFAULT_MIN_RAW_BITS = 128;

/**
 * Analyse captured session tokens.
 *
 * Runs with any number of samples; fewer than 100 add a reliability warning
 * and leave `token-bias` (and a purely statistical `token-entropy`)
 * `inconclusive`, while the structure detectors already work from about 10.
 * 5,000 samples are reliable for most purposes, 20,000 give exact FIPS
 * 140-2 blocks per bit position. 20,000 tokens of 32 bytes take about half a second.
 *
 * @param samples tokens in the order the target issued them
 * @param options policy (defaults: 64 effective bits, 128 raw bits)
 * @returns the summary for the report, one verdict per `token-*` id, and the prediction if any
 */
export function analyzeTokens(samples: readonly TokenSample[], options: TokenAnalysisOptions = {}): TokenAnalysis {
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
  return buildVerdicts(facts);
}
