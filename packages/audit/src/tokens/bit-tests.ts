/**
 * Per-bit-position tests, as a sequencer runs them: for each analysed bit,
 * the sequence of that bit over the N samples is one test sequence. Each
 * position gets the FIPS 140-2 pass/fail (rescaled to N) and p-values for
 * monobit, poker, runs and long run, plus the strongest correlation with any
 * other position. Aggregate statistics catch mild bias spread over many bits.
 */
import { type FipsResult, fipsVerdict, scanColumn } from "./fips.js";
import { popcount32, popcountColumn } from "./lib/bits.js";
import { chiSquareTwoSided, chiSquareUpper, erfc, normalTwoSided } from "./lib/special-functions.js";
import type { BitMatrix } from "./matrix.js";

/** Correlation partner of a bit position. */
export interface Correlation {
  readonly a: number;
  readonly b: number;
  /** Pearson correlation of the two bits over the samples. */
  readonly r: number;
  readonly p: number;
}

/** Results of the per-bit tests. */
export interface BitTests {
  readonly n: number;
  /** Share of ones per analysed column. */
  readonly onesRatio: readonly number[];
  readonly fips: readonly FipsResult[];
  readonly p: {
    readonly monobit: Float64Array;
    /** NaN where the poker test does not apply (n < 320). */
    readonly poker: Float64Array;
    readonly runs: Float64Array;
    readonly longRun: Float64Array;
    /** Smallest correlation p-value with any partner, Bonferroni-adjusted for the partners; NaN when not computed. */
    readonly correlation: Float64Array;
  };
  /** The strongest pairwise correlation found, if any pair was tested. */
  readonly strongest: Correlation | null;
  /** Samples used for the correlation matrix (the first ones, capped for speed). */
  readonly correlationSamples: number;
  /** Σ z² of the monobit statistics over all positions, χ² with one degree of freedom per position. */
  readonly aggregateMonobitP: number;
  /** Σ z² of the runs statistics over all positions. */
  readonly aggregateRunsP: number;
  /** Number of p-values computed (for family-wise correction). */
  readonly testCount: number;
}

/**
 * 8,192 samples find a correlation of |r| ≥ 0.07 after correcting for every
 * pair, at a cost of 256 words per pair; the full pair matrix of 256 bits
 * then takes ~50 ms instead of ~150 ms at 20,000 samples.
 */
const CORRELATION_SAMPLES = 8192;
/** Pairs further apart than this are not tested (tokens of more than 256 variable bits). */
const CORRELATION_SPAN = 256;

/** Run the per-bit tests on every column of the matrix. */
export function runBitTests(matrix: BitMatrix): BitTests {
  const { n, columns } = matrix;
  const count = columns.length;
  const monobit = new Float64Array(count);
  const poker = new Float64Array(count).fill(Number.NaN);
  const runs = new Float64Array(count);
  const longRun = new Float64Array(count);
  const fips: FipsResult[] = [];
  const onesRatio: number[] = [];
  let monobitChi = 0;
  let runsChi = 0;
  let testCount = 0;
  for (let c = 0; c < count; c++) {
    const scan = scanColumn(columns[c]!, n);
    const verdict = fipsVerdict(scan);
    fips.push(verdict);
    const pi = scan.ones / n;
    onesRatio.push(pi);
    const zMono = (2 * scan.ones - n) / Math.sqrt(n);
    monobit[c] = normalTwoSided(zMono);
    monobitChi += zMono * zMono;
    if (verdict.pokerX !== null) {
      poker[c] = chiSquareTwoSided(verdict.pokerX, 15);
      testCount++;
    }
    // SP 800-22 runs test: the number of runs given the observed share of ones.
    const spread = 2 * Math.sqrt(2 * n) * pi * (1 - pi);
    const zRuns = spread > 0 ? (scan.runCount - 2 * n * pi * (1 - pi)) / (spread / Math.SQRT2) : 0;
    runs[c] = spread > 0 ? erfc(Math.abs(scan.runCount - 2 * n * pi * (1 - pi)) / spread) : 0;
    runsChi += zRuns * zRuns;
    // Expected number of runs of length ≥ r in n fair bits is about n·2^−r (Poisson).
    longRun[c] = -Math.expm1(-n * 2 ** -scan.longestRun);
    testCount += 3;
  }
  const correlation = new Float64Array(count).fill(Number.NaN);
  const samples = Math.min(n, CORRELATION_SAMPLES);
  let strongest: Correlation | null = null;
  if (count >= 2 && samples >= 100) {
    const ones = columns.map((col) => popcountColumn(col, samples));
    const words = Math.ceil(samples / 32);
    const lastMask = samples % 32 === 0 ? 0xffffffff : (0xffffffff << (32 - (samples % 32))) >>> 0;
    const minP = new Float64Array(count).fill(1);
    const partners = new Int32Array(count);
    let strongestZ = 0;
    for (let a = 0; a < count; a++) {
      const colA = columns[a]!;
      const na = ones[a]!;
      for (let b = a + 1; b < count && b - a <= CORRELATION_SPAN; b++) {
        const colB = columns[b]!;
        let both = 0;
        for (let w = 0; w < words - 1; w++) {
          let x = colA[w]! & colB[w]!;
          x -= (x >>> 1) & 0x55555555;
          x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          both += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
        }
        both += popcount32(colA[words - 1]! & colB[words - 1]! & lastMask);
        const nb = ones[b]!;
        const denominator = Math.sqrt(na * (samples - na) * nb * (samples - nb));
        partners[a]!++;
        partners[b]!++;
        if (denominator === 0) continue;
        const r = (samples * both - na * nb) / denominator;
        const z = Math.abs(r) * Math.sqrt(samples);
        if (z > 3) {
          const p = normalTwoSided(z);
          if (p < minP[a]!) minP[a] = p;
          if (p < minP[b]!) minP[b] = p;
          if (z > strongestZ) {
            strongestZ = z;
            strongest = { a, b, r, p };
          }
        }
      }
    }
    for (let c = 0; c < count; c++) {
      correlation[c] = Math.min(1, minP[c]! * Math.max(1, partners[c]!));
      testCount++;
    }
  }
  return {
    n,
    onesRatio,
    fips,
    p: { monobit, poker, runs, longRun, correlation },
    strongest,
    correlationSamples: count >= 2 && samples >= 100 ? samples : 0,
    aggregateMonobitP: count > 0 ? chiSquareUpper(monobitChi, count) : 1,
    aggregateRunsP: count > 0 ? chiSquareUpper(runsChi, count) : 1,
    testCount: testCount + (count > 0 ? 2 : 0),
  };
}
