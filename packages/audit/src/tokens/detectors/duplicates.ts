/**
 * Duplicates: the same token issued twice. With fresh clients per sample
 * (`jar: fresh`) that is two users sharing one session.
 */

/** Duplicate statistics. */
export interface DuplicateReport {
  /** Distinct values seen more than once. */
  readonly values: number;
  /** Samples that repeat an earlier one. */
  readonly repeats: number;
  /** Highest number of times one value was seen. */
  readonly maxMultiplicity: number;
  /** First two sample indices (0-based) that share a value, if any. */
  readonly firstPair: readonly [number, number] | null;
  /** Colliding pairs, Σ C(count, 2). */
  readonly pairs: number;
  /**
   * Collision-entropy bound, bits: −log2 of the observed pair-collision rate.
   * A source with H bits of collision entropy collides in one pair of 2^H;
   * `null` without collisions.
   */
  readonly collisionBits: number | null;
}

/** Count duplicates among the values. */
export function findDuplicates(values: readonly string[]): DuplicateReport {
  const first = new Map<string, number>();
  const counts = new Map<string, number>();
  let firstPair: [number, number] | null = null;
  values.forEach((v, i) => {
    const seen = first.get(v);
    if (seen === undefined) first.set(v, i);
    else if (firstPair === null) firstPair = [seen, i];
    counts.set(v, (counts.get(v) ?? 0) + 1);
  });
  let duplicated = 0;
  let repeats = 0;
  let max = values.length > 0 ? 1 : 0;
  let pairs = 0;
  for (const c of counts.values()) {
    if (c > 1) {
      duplicated++;
      repeats += c - 1;
      pairs += (c * (c - 1)) / 2;
    }
    if (c > max) max = c;
  }
  const n = values.length;
  const allPairs = (n * (n - 1)) / 2;
  return {
    values: duplicated,
    repeats,
    maxMultiplicity: max,
    firstPair,
    pairs,
    collisionBits: pairs > 0 ? Math.log2(allPairs / pairs) : null,
  };
}
