/**
 * The decoded bit stream: the analysed bits of each token, token after
 * token. The SP 800-90B estimators read it bit by bit; `ent`-style byte
 * statistics read it packed MSB first (for 32-byte tokens, exactly the
 * decoded bytes).
 */
import type { BitMatrix } from "./matrix.js";

/**
 * The first `maxBits` analysed bits, token-major, one bit per byte.
 *
 * @param matrix the bit matrix
 * @param maxBits cap on the stream length (whole tokens only)
 */
export function bitStream(matrix: BitMatrix, maxBits: number): Uint8Array {
  const width = matrix.columns.length;
  if (width === 0) return new Uint8Array(0);
  const tokens = Math.min(matrix.n, Math.max(1, Math.floor(maxBits / width)));
  const out = new Uint8Array(tokens * width);
  let k = 0;
  for (let i = 0; i < tokens; i++) {
    const word = i >>> 5;
    const shift = 31 - (i & 31);
    for (let c = 0; c < width; c++) out[k++] = (matrix.columns[c]![word]! >>> shift) & 1;
  }
  return out;
}

/** All analysed bits, token-major, packed into bytes MSB first (the last byte zero-padded). */
export function analysedBytes(matrix: BitMatrix): Uint8Array {
  const width = matrix.columns.length;
  const total = width * matrix.n;
  const out = new Uint8Array(Math.ceil(total / 8));
  if (total === 0) return out;
  const block = new Uint32Array(32);
  const words = Math.ceil(matrix.n / 32);
  // 32 tokens × 32 columns at a time: transpose the block so each word holds one token's 32 bits.
  for (let c0 = 0; c0 < width; c0 += 32) {
    const count = Math.min(32, width - c0);
    for (let w = 0; w < words; w++) {
      for (let k = 0; k < 32; k++) block[k] = k < count ? matrix.columns[c0 + k]![w]! : 0;
      transpose32(block);
      const tokens = Math.min(32, matrix.n - w * 32);
      for (let j = 0; j < tokens; j++) writeBits(out, (w * 32 + j) * width + c0, block[j]!, count);
    }
  }
  return out;
}

/** In-place transpose of a 32×32 bit matrix (row k = word k, column 0 = MSB); Hacker's Delight §7-3. */
function transpose32(a: Uint32Array): void {
  let m = 0x0000ffff;
  for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
    for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
      const t = (a[k]! ^ (a[k + j]! >>> j)) & m;
      a[k] = (a[k]! ^ t) >>> 0;
      a[k + j] = (a[k + j]! ^ (t << j)) >>> 0;
    }
  }
}

/** Write the top `count` bits of `value` at bit offset `offset` (MSB first). */
function writeBits(out: Uint8Array, offset: number, value: number, count: number): void {
  let remaining = count;
  let v = value >>> 0;
  let position = offset;
  while (remaining > 0) {
    const byte = position >>> 3;
    const used = position & 7;
    const take = Math.min(8 - used, remaining);
    const bits = v >>> (32 - take);
    out[byte] = out[byte]! | (bits << (8 - used - take));
    v = (v << take) >>> 0;
    remaining -= take;
    position += take;
  }
}
