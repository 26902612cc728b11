/**
 * Minimum and maximum of long arrays. `Math.max(...xs)` passes every element
 * as an argument and overflows the stack past ~100k elements; `audit` may
 * sample 200,000 tokens.
 */

/** Largest element, or `empty` for an empty array. */
export function maxOf(xs: readonly number[], empty = 0): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > max) max = x;
  return xs.length > 0 ? max : empty;
}

/** Smallest element, or `empty` for an empty array. */
export function minOf(xs: readonly number[], empty = 0): number {
  let min = Number.POSITIVE_INFINITY;
  for (const x of xs) if (x < min) min = x;
  return xs.length > 0 ? min : empty;
}
