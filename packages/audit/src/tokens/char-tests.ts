/**
 * Per-character-position tests: the distribution of symbols at each position
 * (chi-square against uniform) and the transitions between successive
 * tokens at that position (the step from one token's symbol to the next,
 * modulo the alphabet size, should be uniform too: a counter's last digit
 * always steps by one).
 */
import { chiSquareTwoSided } from "./lib/special-functions.js";
import type { BitMatrix } from "./matrix.js";

/** Results for one character position. */
export interface CharTest {
  /** Index into `matrix.chars`. */
  readonly char: number;
  /** p-value of the symbol counts, NaN when fewer than 5 samples per symbol are expected. */
  readonly countsP: number;
  /** p-value of the successive-token steps, NaN when not applicable. */
  readonly transitionsP: number;
  /** Observed symbol counts (index = symbol). */
  readonly counts: Int32Array;
}

/** Minimum expected count per cell for the chi-square approximation to hold. */
const MIN_EXPECTED = 5;

/** Run the character tests on every character position of the matrix. */
export function runCharTests(matrix: BitMatrix): { readonly tests: readonly CharTest[]; readonly testCount: number } {
  const tests: CharTest[] = [];
  let testCount = 0;
  matrix.chars.forEach((position, char) => {
    const { k, symbols } = position;
    const counts = new Int32Array(k);
    const steps = new Int32Array(k);
    let present = 0;
    let stepCount = 0;
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i]!;
      if (s < 0 || s >= k) continue;
      counts[s]!++;
      present++;
      const previous = i > 0 ? symbols[i - 1]! : -1;
      if (previous >= 0 && previous < k) {
        steps[(s - previous + k) % k]!++;
        stepCount++;
      }
    }
    const countsP = chiSquareP(counts, present, k);
    const transitionsP = chiSquareP(steps, stepCount, k);
    if (!Number.isNaN(countsP)) testCount++;
    if (!Number.isNaN(transitionsP)) testCount++;
    tests.push({ char, countsP, transitionsP, counts });
  });
  return { tests, testCount };
}

function chiSquareP(cells: Int32Array, total: number, k: number): number {
  if (k < 2 || total / k < MIN_EXPECTED) return Number.NaN;
  const expected = total / k;
  let x = 0;
  for (let i = 0; i < k; i++) {
    const d = cells[i]! - expected;
    x += (d * d) / expected;
  }
  return chiSquareTwoSided(x, k - 1);
}
