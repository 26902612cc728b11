/**
 * Byte statistics computed exactly as John Walker's `ent` does (byte mode),
 * so that the figures can be checked against `ent -t` on the same bytes:
 * Shannon entropy per byte, chi-square against uniform, arithmetic mean,
 * Monte Carlo π from 6-byte coordinates, and serial correlation.
 */
import { chiSquareUpper } from "./lib/special-functions.js";

/** `ent`-compatible statistics of a byte string. */
export interface ByteStats {
  readonly bytes: number;
  /** Shannon entropy, bits per byte (8 = uniform). */
  readonly entropy: number;
  /** Chi-square of the 256 byte counts against a uniform expectation (255 degrees of freedom). */
  readonly chiSquare: number;
  /** Probability that a random source exceeds `chiSquare` (ent prints it as a percentage). */
  readonly chiSquareP: number;
  /** Mean byte value (127.5 = random). */
  readonly mean: number;
  /** π estimated from points (3 bytes x, 3 bytes y) inside the quarter circle. */
  readonly monteCarloPi: number;
  /** Serial correlation coefficient of successive bytes (0 = uncorrelated). */
  readonly serialCorrelation: number;
}

// ent's rt_log2 is log10(x) · log2(10); reproducing it keeps the last printed digit identical.
const LOG2_OF_10 = 3.321928094887362;
const MONTEN = 6;
const IN_CIRCLE = (256 ** (MONTEN / 2) - 1) ** 2;

/**
 * Statistics of `data`, in ent's order of floating-point operations.
 *
 * @param data the bytes (any length; an empty input yields zeros)
 */
export function byteStats(data: Uint8Array): ByteStats {
  const total = data.length;
  if (total === 0) {
    return { bytes: 0, entropy: 0, chiSquare: 0, chiSquareP: 1, mean: 0, monteCarloPi: 0, serialCorrelation: 0 };
  }
  const counts = new Float64Array(256);
  let inCircle = 0;
  let monteCount = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let last = 0;
  let first = 0;
  for (let i = 0; i < total; i++) {
    const c = data[i]!;
    counts[c]!++;
    if (i % MONTEN === MONTEN - 1) {
      monteCount++;
      let x = 0;
      let y = 0;
      for (let j = 0; j < MONTEN / 2; j++) {
        x = x * 256 + data[i - MONTEN + 1 + j]!;
        y = y * 256 + data[i - MONTEN / 2 + 1 + j]!;
      }
      if (x * x + y * y <= IN_CIRCLE) inCircle++;
    }
    if (i === 0) first = c;
    else t1 += last * c;
    t2 += c;
    t3 += c * c;
    last = c;
  }
  // ent closes the serial correlation ring: the last byte is paired with the first.
  t1 += last * first;
  t2 *= t2;
  let scc = total * t3 - t2;
  scc = scc === 0 ? -100000 : (total * t1 - t2) / scc;

  const expected = total / 256;
  let chiSquare = 0;
  let sum = 0;
  let entropy = 0;
  for (let i = 0; i < 256; i++) {
    const a = counts[i]! - expected;
    chiSquare += (a * a) / expected;
    sum += i * counts[i]!;
  }
  for (let i = 0; i < 256; i++) {
    const p = counts[i]! / total;
    if (p > 0) entropy += p * (LOG2_OF_10 * Math.log10(1 / p));
  }
  return {
    bytes: total,
    entropy,
    chiSquare,
    chiSquareP: chiSquareUpper(chiSquare, 255),
    mean: sum / total,
    monteCarloPi: monteCount === 0 ? 0 : 4 * (inCircle / monteCount),
    serialCorrelation: scc,
  };
}
