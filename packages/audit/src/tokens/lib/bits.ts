/**
 * Bit-level helpers. A bit column holds one bit position across all samples,
 * packed 32 samples per word, sample 0 in the most significant bit of word 0,
 * so per-position tests become popcounts and XORs.
 */

/** Number of set bits in a 32-bit word. */
export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Mask of the valid bits of the last word of a column of `n` samples. */
export function lastWordMask(n: number): number {
  const rem = n % 32;
  return rem === 0 ? 0xffffffff : (0xffffffff << (32 - rem)) >>> 0;
}

/** Set bits of the first `n` samples of a packed column. */
export function popcountColumn(column: Uint32Array, n: number): number {
  const words = Math.ceil(n / 32);
  let ones = 0;
  for (let w = 0; w < words - 1; w++) ones += popcount32(column[w]!);
  if (words > 0) ones += popcount32((column[words - 1]! & lastWordMask(n)) >>> 0);
  return ones;
}

/** Bit `i` (0 or 1) of a packed column. */
export function bitAt(column: Uint32Array, i: number): number {
  return (column[i >>> 5]! >>> (31 - (i & 31))) & 1;
}

/**
 * Pack a column into bytes, most significant bit first — the order rngtest
 * (rng-tools `fips.c`, `for (j = 7; j >= 0; j--)`) and ent read bits in.
 */
export function columnToBytes(column: Uint32Array, n: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < out.length; i++) {
    const word = column[i >>> 2]!;
    out[i] = (word >>> (24 - 8 * (i & 3))) & 0xff;
  }
  if (n % 8 !== 0) out[out.length - 1] = out[out.length - 1]! & ((0xff << (8 - (n % 8))) & 0xff);
  return out;
}

/** Inverse of {@link columnToBytes}: read `n` bits, MSB first. */
export function bytesToColumn(bytes: Uint8Array, n: number = bytes.length * 8): Uint32Array {
  const column = new Uint32Array(Math.ceil(n / 32));
  for (let i = 0; i < Math.ceil(n / 8); i++) {
    column[i >>> 2] = (column[i >>> 2]! | ((bytes[i] ?? 0) << (24 - 8 * (i & 3)))) >>> 0;
  }
  if (column.length > 0) column[column.length - 1] = (column[column.length - 1]! & lastWordMask(n)) >>> 0;
  return column;
}
