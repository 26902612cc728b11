/**
 * FIPS 140-2 statistical tests (errata of 2001-10-10: monobit, poker, runs,
 * long run) on a bit sequence. On exactly 20,000 bits the bounds are the
 * standard's, as in Debian's `rngtest`; on other lengths they are rescaled
 * so that each test keeps roughly the same false-alarm rate (~1e-4), which
 * is how a sequencer applies FIPS to the N samples of one bit position.
 */
import { bytesToColumn } from "./lib/bits.js";

/** The FIPS block size in bits. */
export const FIPS_BLOCK_BITS = 20_000;

/** One pass over a bit sequence: everything the FIPS tests and the per-bit p-values need. */
export interface ColumnScan {
  /** Number of bits. */
  readonly n: number;
  readonly ones: number;
  /** Number of maximal runs (of either value). */
  readonly runCount: number;
  /** Runs of zeros by length 1, 2, 3, 4, 5, 6+ (first and last runs included). */
  readonly zeroRuns: readonly number[];
  /** Runs of ones by length 1, 2, 3, 4, 5, 6+. */
  readonly oneRuns: readonly number[];
  readonly longestRun: number;
  /** Counts of the 16 nibble values over ⌊n/4⌋ consecutive 4-bit groups. */
  readonly nibbles: readonly number[];
}

/** Pass/fail of the four FIPS tests on one sequence, with the bounds applied. */
export interface FipsResult {
  readonly n: number;
  readonly monobit: boolean;
  /** `null` when n < 320: fewer than 5 expected nibbles per poker cell makes the test meaningless. */
  readonly poker: boolean | null;
  readonly runs: boolean;
  readonly longRun: boolean;
  /** All applicable tests pass. */
  readonly pass: boolean;
  /** The poker statistic X = 16/m·Σf² − m, or `null` when not applicable. */
  readonly pokerX: number | null;
  /** Runs bounds per bucket (1…5, 6+), inclusive, identical for zeros and ones. */
  readonly runBounds: readonly (readonly [number, number])[];
  /** Shortest run length that fails the long-run test. */
  readonly longRunLimit: number;
}

/**
 * Count ones, runs by value and length, the longest run and nibble values
 * of the first `n` bits of a packed column (MSB first).
 */
export function scanColumn(column: Uint32Array, n: number): ColumnScan {
  const zeroRuns = [0, 0, 0, 0, 0, 0];
  const oneRuns = [0, 0, 0, 0, 0, 0];
  const nibbles = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  if (n <= 0) return { n: 0, ones: 0, runCount: 0, zeroRuns, oneRuns, longestRun: 0, nibbles };
  let ones = 0;
  let runCount = 0;
  let longest = 0;
  // Runs are found word by word: XOR each bit with its predecessor, then walk the set bits (run starts) with clz.
  let current = column[0]! >>> 31;
  let previousBit = current;
  let runStart = 0;
  const fullNibbles = Math.floor(n / 4);
  const words = Math.ceil(n / 32);
  for (let w = 0; w < words; w++) {
    const valid = Math.min(32, n - w * 32);
    const mask = valid === 32 ? 0xffffffff : (0xffffffff << (32 - valid)) >>> 0;
    const word = column[w]! & mask;
    let x = word - ((word >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    ones += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    let changes = ((word ^ ((word >>> 1) | (previousBit << 31))) & mask) >>> 0;
    while (changes !== 0) {
      const position = Math.clz32(changes);
      const start = w * 32 + position;
      const length = start - runStart;
      const bucket = length >= 6 ? 5 : length - 1;
      if (current === 1) oneRuns[bucket]!++;
      else zeroRuns[bucket]!++;
      if (length > longest) longest = length;
      runCount++;
      current ^= 1;
      runStart = start;
      changes = (changes ^ (0x80000000 >>> position)) >>> 0;
    }
    previousBit = (word >>> (32 - valid)) & 1;
    const nibblesHere = Math.min(8, fullNibbles - w * 8);
    for (let k = 0; k < nibblesHere; k++) nibbles[(word >>> (28 - 4 * k)) & 15]!++;
  }
  const length = n - runStart;
  const bucket = length >= 6 ? 5 : length - 1;
  if (current === 1) oneRuns[bucket]!++;
  else zeroRuns[bucket]!++;
  if (length > longest) longest = length;
  runCount++;
  return { n, ones, runCount, zeroRuns, oneRuns, longestRun: longest, nibbles };
}

// FIPS 140-2 (2001-10-10) runs intervals for 20,000 bits as centre ± half-width, lengths 1…5, 6+.
const RUN_CENTRE = [2500, 1250, 625, 312, 156, 156];
const RUN_HALF_WIDTH = [185, 136, 98, 72, 53, 53];

/** Inclusive runs bounds for a sequence of `n` bits (exactly FIPS at 20,000). */
export function runBounds(n: number): [number, number][] {
  const scale = n / FIPS_BLOCK_BITS;
  const spread = Math.sqrt(scale);
  return RUN_CENTRE.map((c, i) => [c * scale - RUN_HALF_WIDTH[i]! * spread, c * scale + RUN_HALF_WIDTH[i]! * spread]);
}

/**
 * Shortest failing run: 26 at 20,000 bits (FIPS), shifted by log2(n/20,000)
 * elsewhere, since the expected number of runs ≥ L in n fair bits is n·2^−L.
 */
export function longRunLimit(n: number): number {
  return Math.max(8, Math.round(26 + Math.log2(n / FIPS_BLOCK_BITS)));
}

/** Apply the (rescaled) FIPS bounds to a scan. */
export function fipsVerdict(scan: ColumnScan): FipsResult {
  const { n } = scan;
  // Monobit: 9725 < ones < 10275 at 20,000 bits, i.e. |ones − n/2| < 275 (≈3.9σ), scaled by √(n/20,000).
  const monobit = Math.abs(scan.ones - n / 2) < 275 * Math.sqrt(n / FIPS_BLOCK_BITS);
  // Poker: 2.16 < X < 46.17 (chi-square, 15 degrees of freedom: independent of n).
  // Compared in integers, 1600·S against (216 + 100m)·m, so the boundary is exact.
  const m = Math.floor(n / 4);
  let poker: boolean | null = null;
  let pokerX: number | null = null;
  if (n >= 320) {
    let sumSquares = 0;
    for (const f of scan.nibbles) sumSquares += f * f;
    poker = 1600 * sumSquares > (216 + 100 * m) * m && 1600 * sumSquares < (4617 + 100 * m) * m;
    pokerX = (16 / m) * sumSquares - m;
  }
  const bounds = runBounds(n);
  const within = (counts: readonly number[]): boolean =>
    counts.every((c, i) => c >= bounds[i]![0] && c <= bounds[i]![1]);
  const runs = within(scan.zeroRuns) && within(scan.oneRuns);
  const limit = longRunLimit(n);
  const longRun = scan.longestRun < limit;
  return {
    n,
    monobit,
    poker,
    runs,
    longRun,
    pass: monobit && poker !== false && runs && longRun,
    pokerX,
    runBounds: bounds,
    longRunLimit: limit,
  };
}

/** FIPS tests on the first `n` bits of a packed column. */
export function fipsTest(column: Uint32Array, n: number): FipsResult & { readonly scan: ColumnScan } {
  const scan = scanColumn(column, n);
  return { ...fipsVerdict(scan), scan };
}

/** FIPS tests on raw bytes read MSB first, as `rngtest` reads a 2,500-byte block. */
export function fipsTestBytes(bytes: Uint8Array): FipsResult & { readonly scan: ColumnScan } {
  return fipsTest(bytesToColumn(bytes), bytes.length * 8);
}
