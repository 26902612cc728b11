/**
 * NIST SP 800-90B (2018) §6.3 non-IID min-entropy estimators on the decoded
 * bit stream (binary samples): most common value, collision, Markov,
 * compression, t-tuple and longest repeated substring. Each returns
 * min-entropy per bit as a 99 % lower confidence bound (except Markov, whose
 * standard form has none); the minimum is the conservative figure.
 *
 * Deviations, for speed on 2 cores: at most 1,000,000 bits are used (90B's
 * own minimum sample size); t-tuple and LRS compare windows of at most 64
 * bits (a longest repeat beyond 64 bits is reported as 64, which only
 * matters for grossly repetitive data that other tests already reject), and
 * ignore the last 63 window start positions.
 */

/** Min-entropy estimates in bits per bit; `null` when the stream is too short for that estimator. */
export interface MinEntropyEstimates {
  /** Bits used. */
  readonly bits: number;
  readonly mcv: number | null;
  readonly collision: number | null;
  readonly markov: number | null;
  readonly compression: number | null;
  readonly tTuple: number | null;
  readonly lrs: number | null;
  /** Smallest of the estimates. */
  readonly min: number;
  /** Length of the longest repeated substring found (capped at 64). */
  readonly longestRepeat: number;
}

/** Bits used at most; SP 800-90B asks for at least 1,000,000 samples. */
export const MAX_ESTIMATOR_BITS = 1_000_000;
const Z = 2.576;

/**
 * Run all six estimators.
 *
 * @param bits the stream, one bit (0 or 1) per byte
 */
export function estimateMinEntropy(bits: Uint8Array): MinEntropyEstimates {
  const s = bits.length > MAX_ESTIMATOR_BITS ? bits.subarray(0, MAX_ESTIMATOR_BITS) : bits;
  const L = s.length;
  const mcv = L >= 2 ? mostCommonValue(s) : null;
  const collision = L >= 64 ? collisionEstimate(s) : null;
  const markov = L >= 2 ? markovEstimate(s) : null;
  const compression = L >= 6 * 1000 + 6 * 100 ? compressionEstimate(s) : null;
  const tuples = L >= 200 ? tupleStatistics(s) : null;
  const tTuple = tuples ? tTupleEstimate(tuples, L) : null;
  const lrs = tuples ? lrsEstimate(tuples, L) : null;
  const all = [mcv, collision, markov, compression, tTuple, lrs].filter((x): x is number => x !== null);
  return {
    bits: L,
    mcv,
    collision,
    markov,
    compression,
    tTuple,
    lrs,
    min: all.length > 0 ? Math.min(...all) : 0,
    longestRepeat: tuples?.longestRepeat ?? 0,
  };
}

const entropyOf = (p: number): number => Math.max(0, Math.min(1, -Math.log2(p)));
const upperBound = (p: number, L: number): number => Math.min(1, p + Z * Math.sqrt((p * (1 - p)) / (L - 1)));

/** §6.3.1 Most common value. */
export function mostCommonValue(s: Uint8Array): number {
  let ones = 0;
  for (let i = 0; i < s.length; i++) ones += s[i]!;
  const p = Math.max(ones, s.length - ones) / s.length;
  return entropyOf(upperBound(p, s.length));
}

/** §6.3.2 Collision estimate, binary form: E[t] = 2 + 2p(1 − p). */
export function collisionEstimate(s: Uint8Array): number {
  let v = 0;
  let sum = 0;
  let sumSquares = 0;
  let i = 0;
  while (i + 1 < s.length) {
    let t: number;
    if (s[i] === s[i + 1]) t = 2;
    else if (i + 2 < s.length) t = 3;
    else break;
    v++;
    sum += t;
    sumSquares += t * t;
    i += t;
  }
  if (v < 2) return 1;
  const mean = sum / v;
  const sigma = Math.sqrt(Math.max(0, (sumSquares - v * mean * mean) / (v - 1)));
  const lower = mean - (Z * sigma) / Math.sqrt(v);
  const p = lower < 2.5 ? 0.5 + Math.sqrt(Math.max(0, 1.25 - 0.5 * lower)) : 0.5;
  return entropyOf(Math.min(1, p));
}

/** §6.3.3 Markov estimate: the most likely 128-bit sequence under a first-order Markov model. */
export function markovEstimate(s: Uint8Array): number {
  const L = s.length;
  let ones = 0;
  const pairs = [0, 0, 0, 0];
  for (let i = 0; i < L; i++) {
    ones += s[i]!;
    if (i + 1 < L) pairs[(s[i]! << 1) | s[i + 1]!]!++;
  }
  const p1 = ones / L;
  const p0 = 1 - p1;
  const row0 = pairs[0]! + pairs[1]!;
  const row1 = pairs[2]! + pairs[3]!;
  const p00 = row0 > 0 ? pairs[0]! / row0 : 0;
  const p01 = row0 > 0 ? pairs[1]! / row0 : 0;
  const p10 = row1 > 0 ? pairs[2]! / row1 : 0;
  const p11 = row1 > 0 ? pairs[3]! / row1 : 0;
  const lg = (x: number): number => (x > 0 ? Math.log2(x) : Number.NEGATIVE_INFINITY);
  const candidates = [
    lg(p0) + 127 * lg(p00),
    lg(p0) + 64 * lg(p01) + 63 * lg(p10),
    lg(p0) + lg(p01) + 126 * lg(p11),
    lg(p1) + lg(p10) + 126 * lg(p00),
    lg(p1) + 64 * lg(p10) + 63 * lg(p01),
    lg(p1) + 127 * lg(p11),
  ].map((x) => (Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x));
  const best = Math.max(...candidates);
  return Math.max(0, Math.min(1, -best / 128));
}

/** §6.3.4 Compression estimate (Maurer-style), 6-bit blocks, 1,000-block dictionary. */
export function compressionEstimate(s: Uint8Array): number {
  const b = 6;
  const d = 1000;
  const blocks = Math.floor(s.length / b);
  const v = blocks - d;
  if (v < 100) return 1;
  const last = new Int32Array(1 << b);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 1; i <= blocks; i++) {
    let symbol = 0;
    for (let j = 0; j < b; j++) symbol = (symbol << 1) | s[(i - 1) * b + j]!;
    if (i > d) {
      const distance = last[symbol]! > 0 ? i - last[symbol]! : i;
      const l = Math.log2(distance);
      sum += l;
      sumSquares += l * l;
    }
    last[symbol] = i;
  }
  const mean = sum / v;
  const sigma = 0.5907 * Math.sqrt(Math.max(0, sumSquares / (v - 1) - mean * mean));
  const target = mean - (Z * sigma) / Math.sqrt(v);
  const total = d + v;
  const log2t = new Float64Array(total + 1);
  for (let t = 1; t <= total; t++) log2t[t] = Math.log2(t);
  // G(z) = 1/v Σ_{t=d+1}^{d+v} [ z² Σ_{u<t} log2(u)(1−z)^{u−1} + z log2(t)(1−z)^{t−1} ], in one pass over t.
  const G = (z: number): number => {
    const q = 1 - z;
    let inner = 0;
    let power = 1;
    let acc = 0;
    let t = 1;
    // Once (1−z)^(t−1) is negligible the inner sum is constant: finish in closed form
    // (continuing would also crawl through denormal floats, ~100× slower).
    for (; t <= total && power > 1e-300; t++) {
      if (t > d) acc += z * z * inner + z * log2t[t]! * power;
      inner += log2t[t]! * power;
      power *= q;
    }
    if (t <= total) acc += z * z * inner * (total - Math.max(t, d + 1) + 1);
    return acc / v;
  };
  const expected = (p: number): number => {
    const q = (1 - p) / (2 ** b - 1);
    return G(p) + (2 ** b - 1) * G(q);
  };
  let lo = 2 ** -b;
  let hi = 1;
  if (target >= expected(lo)) return 1;
  for (let iteration = 0; iteration < 40; iteration++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) > target) lo = mid;
    else hi = mid;
  }
  return Math.max(0, Math.min(1, -Math.log2((lo + hi) / 2) / b));
}

/** Counts of equal windows for every window length 1…64. */
interface TupleStatistics {
  /** Windows compared. */
  readonly windows: number;
  /** Largest number of equal windows of length t (index t). */
  readonly maxCount: Float64Array;
  /** Σ C(count, 2) over distinct windows of length t. */
  readonly pairs: Float64Array;
  readonly longestRepeat: number;
}

/**
 * Sort all 64-bit windows (LSD radix sort, 16-bit digits), then walk the
 * longest-common-prefix intervals of adjacent windows: an interval of size m
 * whose members share ℓ bits (and its parent only ℓp < ℓ) is a group of m
 * equal t-bit windows for every t in (ℓp, ℓ].
 */
function tupleStatistics(s: Uint8Array): TupleStatistics {
  const L = s.length;
  const windows = L - 63;
  if (windows < 2) return { windows: 0, maxCount: new Float64Array(65), pairs: new Float64Array(65), longestRepeat: 0 };
  const word = new Uint32Array(L);
  let w = 0;
  for (let i = 0; i < Math.min(32, L); i++) w = ((w << 1) | s[i]!) >>> 0;
  for (let i = 0; i < L; i++) {
    word[i] = w;
    w = ((w << 1) | (i + 32 < L ? s[i + 32]! : 0)) >>> 0;
  }
  // Only the sorted keys matter (groups of equal windows), not their positions. Radix-sort the
  // (hi, lo) pairs by hi (two 16-bit passes, sequential reads), then sort each run of equal hi by
  // lo natively: on random data such runs are rare and short.
  let hi = word.slice(0, windows);
  let lo = new Uint32Array(windows);
  for (let i = 0; i < windows; i++) lo[i] = i + 32 < L ? word[i + 32]! : 0;
  let hiNext = new Uint32Array(windows);
  let loNext = new Uint32Array(windows);
  const histogram = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    histogram.fill(0);
    for (let i = 0; i < windows; i++) histogram[(hi[i]! >>> shift) & 0xffff]!++;
    let running = 0;
    for (let digit = 0; digit < 65536; digit++) {
      const c = histogram[digit]!;
      histogram[digit] = running;
      running += c;
    }
    for (let i = 0; i < windows; i++) {
      const target = histogram[(hi[i]! >>> shift) & 0xffff]!++;
      hiNext[target] = hi[i]!;
      loNext[target] = lo[i]!;
    }
    [hi, hiNext] = [hiNext, hi];
    [lo, loNext] = [loNext, lo];
  }
  for (let a = 0; a < windows; ) {
    let b = a + 1;
    while (b < windows && hi[b] === hi[a]) b++;
    if (b - a > 1) lo.subarray(a, b).sort();
    a = b;
  }

  const maxCount = new Float64Array(65).fill(1);
  const pairs = new Float64Array(65);
  const stackH = new Int32Array(66);
  const stackLb = new Int32Array(66);
  let top = 0;
  stackH[0] = 0;
  stackLb[0] = 0;
  let longestRepeat = 0;
  for (let k = 1; k <= windows; k++) {
    let h = 0;
    if (k < windows) {
      const x = (hi[k - 1]! ^ hi[k]!) >>> 0;
      h = x !== 0 ? Math.clz32(x) : 32 + Math.min(32, Math.clz32((lo[k - 1]! ^ lo[k]!) >>> 0));
      if (h > longestRepeat) longestRepeat = h;
    }
    let lb = k - 1;
    while (h < stackH[top]!) {
      const value = stackH[top]!;
      const start = stackLb[top]!;
      top--;
      const size = k - start;
      const parent = Math.max(h, stackH[top]!);
      const groupPairs = (size * (size - 1)) / 2;
      for (let t = parent + 1; t <= value; t++) {
        pairs[t]! += groupPairs;
        if (size > maxCount[t]!) maxCount[t] = size;
      }
      lb = start;
    }
    if (h > stackH[top]!) {
      top++;
      stackH[top] = h;
      stackLb[top] = lb;
    }
  }
  return { windows, maxCount, pairs, longestRepeat };
}

/** §6.3.5 t-tuple estimate over the lengths whose most common tuple occurs at least 35 times. */
function tTupleEstimate(stats: TupleStatistics, L: number): number | null {
  let best = 0;
  for (let t = 1; t <= 64 && stats.maxCount[t]! >= 35; t++) {
    best = Math.max(best, (stats.maxCount[t]! / stats.windows) ** (1 / t));
  }
  return best > 0 ? entropyOf(upperBound(best, L)) : null;
}

/** §6.3.6 Longest repeated substring estimate over the lengths beyond the t-tuple range. */
function lrsEstimate(stats: TupleStatistics, L: number): number | null {
  let u = 1;
  while (u <= 64 && stats.maxCount[u]! >= 35) u++;
  const v = stats.longestRepeat;
  if (u > v) return null;
  const allPairs = (stats.windows * (stats.windows - 1)) / 2;
  let best = 0;
  for (let W = u; W <= v; W++) best = Math.max(best, (stats.pairs[W]! / allPairs) ** (1 / W));
  return best > 0 ? entropyOf(upperBound(best, L)) : null;
}
