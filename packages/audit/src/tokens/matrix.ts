/**
 * The bit matrix: every variable bit position of the tokens as a packed
 * column over the samples, plus the character positions behind them. This
 * is what the per-bit and per-character statistics run on.
 *
 * Bit encodings (hex, base32, base64) map characters to bits exactly.
 * Mixed-radix fields (decimal numbers, alphanumerics, odd custom alphabets)
 * are read as one integer; its top bits are biased by construction (a range
 * like 10^k is not a power of two), so the top `guard` bits are left to the
 * character-level tests and only the low bits are tested bit by bit.
 */
import type { Field, Layout } from "./layout.js";
import { maxOf } from "./lib/array.js";

/** Where an analysed bit comes from, for plain-words evidence. */
export interface BitOrigin {
  readonly field: number;
  /** Character position in the field body (left to right), or `null` for a bit of a mixed-radix number. */
  readonly char: number | null;
  /** Bit within the character (0 = most significant), or within the number (0 = least significant). */
  readonly bit: number;
}

/** One character position, for the character-level tests and charts. */
export interface CharPosition {
  readonly field: number;
  /** Position in the body: from the left, or from the right (0 = last digit) when `fromRight`. */
  readonly position: number;
  readonly fromRight: boolean;
  /** Symbol of each sample in 0…k−1 (variable bits only, for bit encodings); −1 when the sample is too short. */
  readonly symbols: Int32Array;
  /** Number of symbols a random source would use here. */
  readonly k: number;
  /** The characters seen, by symbol, for charts. */
  readonly label: (symbol: number) => string;
  /** Indices of the analysed bit columns of this character (empty for mixed-radix fields). */
  readonly columns: readonly number[];
}

/** Bit accounting of one field. */
export interface FieldBits {
  readonly field: number;
  /** Raw information capacity of the variable positions, bits per token. */
  readonly rawBits: number;
  /** Analysed columns of this field. */
  readonly columns: readonly number[];
  /** Character positions of this field. */
  readonly chars: readonly number[];
  /** Raw bits not tested bit by bit (mixed-radix guard), credited when the character tests pass. */
  readonly guardBits: number;
}

/** Everything the statistics need. */
export interface BitMatrix {
  /** Number of samples. */
  readonly n: number;
  readonly columns: readonly Uint32Array[];
  readonly origins: readonly BitOrigin[];
  readonly chars: readonly CharPosition[];
  readonly fields: readonly FieldBits[];
  /** Raw variable bits per token: the `token-length` figure. */
  readonly rawBits: number;
  readonly notes: readonly string[];
}

/**
 * Below this many samples a bit that never changed may simply not have
 * changed yet (probability 2^(1−n) per bit), so only whole constant
 * characters are dropped. At 24 samples a 256-bit token loses a random bit
 * with probability 256·2^−23 ≈ 3e-5.
 */
export const CONSTANT_BIT_MIN_SAMPLES = 24;
const MAX_COLUMNS = 4096;
const GUARD_BITS = 8;

class Builder {
  readonly columns: Uint32Array[] = [];
  readonly origins: BitOrigin[] = [];
  readonly chars: CharPosition[] = [];
  readonly words: number;
  constructor(readonly n: number) {
    this.words = Math.ceil(n / 32);
  }
  column(origin: BitOrigin): { index: number; data: Uint32Array } {
    const data = new Uint32Array(this.words);
    this.columns.push(data);
    this.origins.push(origin);
    return { index: this.columns.length - 1, data };
  }
}

/** Build the matrix of variable bits from a layout. */
export function buildMatrix(layout: Layout, n: number): BitMatrix {
  const b = new Builder(n);
  const fields: FieldBits[] = [];
  const notes: string[] = [];
  for (const field of layout.fields) {
    if (field.constant || b.columns.length >= MAX_COLUMNS) continue;
    if (!field.numeric && field.minLength !== field.maxLength) {
      notes.push(
        `field ${field.index + 1} varies in length (${field.minLength}–${field.maxLength} characters): only its first ${field.minLength} are analysed`,
      );
    }
    if (field.numeric) fields.push(numericField(b, field));
    else if (field.alphabet.bitsPerChar !== null) fields.push(bitField(b, field));
    else fields.push(mixedRadixField(b, field));
  }
  if (b.columns.length >= MAX_COLUMNS) notes.push(`only the first ${MAX_COLUMNS} variable bits are analysed`);
  return {
    n,
    columns: b.columns,
    origins: b.origins,
    chars: b.chars,
    fields,
    rawBits: fields.reduce((s, f) => s + f.rawBits, 0),
    notes,
  };
}

function setBit(column: Uint32Array, i: number): void {
  column[i >>> 5] = (column[i >>> 5]! | (1 << (31 - (i & 31)))) >>> 0;
}

/** Hex, base32, base64: each character is `bitsPerChar` bits. */
function bitField(b: Builder, field: Field): FieldBits {
  const width = field.alphabet.bitsPerChar!;
  const columns: number[] = [];
  const chars: number[] = [];
  let rawBits = 0;
  const values = new Int32Array(b.n);
  for (let p = 0; p < field.minLength; p++) {
    let or = 0;
    let and = (1 << width) - 1;
    const bodies = field.bodies;
    const table = field.alphabet.table;
    for (let i = 0; i < b.n; i++) {
      const t = table[bodies[i]!.charCodeAt(p)];
      const v = t !== undefined && t > 0 ? t : 0;
      values[i] = v;
      or |= v;
      and &= v;
    }
    if (or === and) continue;
    // Raw bits: with few samples a constant-looking bit is counted anyway
    // (it may just not have changed yet); columns hold only bits that did change.
    const mask = b.n >= CONSTANT_BIT_MIN_SAMPLES ? or ^ and : (1 << width) - 1;
    rawBits += popcount(mask);
    const bits: number[] = [];
    for (let j = width - 1; j >= 0; j--) if ((or ^ and) & (1 << j)) bits.push(j);
    const charColumns: number[] = [];
    for (const j of bits) {
      if (b.columns.length >= MAX_COLUMNS) break;
      const { index, data } = b.column({ field: field.index, char: p, bit: width - 1 - j });
      // Whole words at a time: no read-modify-write per bit.
      for (let w = 0; w < b.words; w++) {
        let acc = 0;
        const base = w * 32;
        const end = Math.min(32, b.n - base);
        for (let k = 0; k < end; k++) acc = (acc << 1) | ((values[base + k]! >>> j) & 1);
        data[w] = (acc << (32 - end)) >>> 0;
      }
      charColumns.push(index);
      columns.push(index);
    }
    // Symbols over the variable bits only, so that a half-constant character
    // (a UUID variant nibble) is tested against its 4 possible values, not 16.
    const allVariable = bits.length === width;
    const symbols = allVariable ? Int32Array.from(values) : new Int32Array(b.n);
    if (!allVariable) {
      for (let i = 0; i < b.n; i++) {
        let sym = 0;
        for (let k = 0; k < bits.length; k++) sym = (sym << 1) | ((values[i]! >>> bits[k]!) & 1);
        symbols[i] = sym;
      }
    }
    const alphabet = field.alphabet;
    const expand = (s: number): string => {
      let v = and;
      bits.forEach((j, k) => {
        if ((s >>> (bits.length - 1 - k)) & 1) v |= 1 << j;
      });
      return alphabet.symbols[v] ?? "?";
    };
    b.chars.push({
      field: field.index,
      position: p,
      fromRight: false,
      symbols,
      k: 2 ** bits.length,
      label: expand,
      columns: charColumns,
    });
    chars.push(b.chars.length - 1);
  }
  return { field: field.index, rawBits, columns, chars, guardBits: 0 };
}

/** Alphanumeric and other non-power-of-two alphabets: one mixed-radix integer over the variable positions. */
function mixedRadixField(b: Builder, field: Field): FieldBits {
  const k = field.alphabet.symbols.length;
  const variable: number[] = [];
  for (let p = 0; p < field.minLength; p++) {
    const c = field.bodies[0]!.charCodeAt(p);
    if (field.bodies.some((body) => body.charCodeAt(p) !== c)) variable.push(p);
  }
  const rawBits = variable.length * Math.log2(k);
  const chars: number[] = [];
  for (const p of variable) {
    const symbols = new Int32Array(b.n);
    for (let i = 0; i < b.n; i++) symbols[i] = field.alphabet.symbolValue(field.bodies[i]!.charCodeAt(p));
    b.chars.push({
      field: field.index,
      position: p,
      fromRight: false,
      symbols,
      k,
      label: (s) => field.alphabet.symbols[s] ?? "?",
      columns: [],
    });
    chars.push(b.chars.length - 1);
  }
  const values = field.bodies.map((body) => {
    let x = 0n;
    const big = BigInt(k);
    for (const p of variable) x = x * big + BigInt(Math.max(0, field.alphabet.symbolValue(body.charCodeAt(p))));
    return x;
  });
  const width = bitLength(BigInt(k) ** BigInt(variable.length) - 1n);
  const columns = integerColumns(b, field.index, values, width, guardFor(width));
  return { field: field.index, rawBits, columns, chars, guardBits: Math.max(0, rawBits - columns.length) };
}

/** Decimal integers: counters, timestamps, `nextLong()` outputs. */
function numericField(b: Builder, field: Field): FieldBits {
  const values = field.values.map((v) => BigInt(v));
  const negative = values.some((v) => v < 0n);
  if (negative) {
    // Signed outputs (java.util.Random.nextLong/nextInt) are uniform over two's complement: no guard needed.
    const fits32 = values.every((v) => v >= -(2n ** 31n) && v < 2n ** 31n);
    const width = fits32 ? 32 : 64;
    const mod = 1n << BigInt(width);
    const unsigned = values.map((v) => ((v % mod) + mod) % mod);
    const columns = integerColumns(b, field.index, unsigned, width, 0);
    return { field: field.index, rawBits: columns.length, columns, chars: [], guardBits: 0 };
  }
  const digits = field.values.map((v) => v.replace(/^-/, ""));
  const maxLen = maxOf(digits.map((d) => d.length));
  const chars: number[] = [];
  let rawBits = 0;
  for (let p = 0; p < maxLen; p++) {
    const symbols = new Int32Array(b.n);
    let first = -2;
    let varies = false;
    for (let i = 0; i < b.n; i++) {
      const d = digits[i]!;
      const s = p < d.length ? d.charCodeAt(d.length - 1 - p) - 48 : -1;
      symbols[i] = s;
      if (first === -2) first = s;
      else if (s !== first) varies = true;
    }
    if (!varies) continue;
    rawBits += Math.log2(10);
    b.chars.push({
      field: field.index,
      position: p,
      fromRight: true,
      symbols,
      k: 10,
      label: (s) => String(s),
      columns: [],
    });
    chars.push(b.chars.length - 1);
  }
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  const width = bitLength(max);
  const columns = integerColumns(b, field.index, values, width, guardFor(width));
  return { field: field.index, rawBits, columns, chars, guardBits: Math.max(0, rawBits - columns.length) };
}

function guardFor(width: number): number {
  return Math.min(GUARD_BITS, Math.floor(width / 2));
}

/** Columns for the low `width − guard` bits of integers, variable ones only, most significant first. */
function integerColumns(b: Builder, field: number, values: readonly bigint[], width: number, guard: number): number[] {
  const tested = width - guard;
  const small = width <= 52;
  const nums = small ? values.map((v) => Number(v)) : null;
  const out: number[] = [];
  for (let bit = tested - 1; bit >= 0; bit--) {
    if (b.columns.length >= MAX_COLUMNS) break;
    const data = new Uint32Array(b.words);
    let ones = 0;
    const big = BigInt(bit);
    const pow = 2 ** bit;
    for (let i = 0; i < b.n; i++) {
      const set = nums ? Math.floor(nums[i]! / pow) % 2 === 1 : ((values[i]! >> big) & 1n) === 1n;
      if (set) {
        setBit(data, i);
        ones++;
      }
    }
    if (ones === 0 || ones === b.n) continue;
    b.columns.push(data);
    b.origins.push({ field, char: null, bit });
    out.push(b.columns.length - 1);
  }
  return out;
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v !== 0; v &= v - 1) c++;
  return c;
}

function bitLength(x: bigint): number {
  return x <= 0n ? 0 : x.toString(2).length;
}
