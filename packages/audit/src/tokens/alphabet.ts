/**
 * Alphabet and encoding detection for one field of a token: which standard
 * encoding its characters belong to, and whether each character maps to a
 * whole number of bits (hex, base32, base64) or to a digit of a mixed-radix
 * number (decimal, alphanumeric, custom).
 */

/** Encodings recognised by their character set. */
export type EncodingName =
  | "decimal"
  | "hex"
  | "HEX"
  | "base32"
  | "base32hex"
  | "base64"
  | "base64url"
  | "alphanumeric"
  | "custom";

/** A field's alphabet: the ordered symbols and how many bits each carries. */
export interface Alphabet {
  readonly name: EncodingName;
  /** Symbols in value order (index = symbol value). */
  readonly symbols: string;
  /** log2(symbols.length) when that is a whole number and the encoding is a bit encoding, else `null` (mixed radix). */
  readonly bitsPerChar: number | null;
  /** Symbol value of a character code, -1 when not in the alphabet. */
  readonly symbolValue: (charCode: number) => number;
  /** The same as a table indexed by character code (hot loops avoid the call). */
  readonly table: Int16Array;
}

const DIGITS = "0123456789";
const HEX_LOWER = "0123456789abcdef";
const HEX_UPPER = "0123456789ABCDEF";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
// PHP's session.sid_bits_per_character=5 and RFC 4648 "base32hex" share this order.
const BASE32HEX = "0123456789abcdefghijklmnopqrstuv";
const BASE32 = `${UPPER}234567`;
const BASE64 = `${UPPER}${LOWER}0123456789+/`;
const BASE64URL = `${UPPER}${LOWER}0123456789-_`;
const ALNUM = `${DIGITS}${UPPER}${LOWER}`;

/** Build an alphabet from its ordered symbols. */
export function makeAlphabet(name: EncodingName, symbols: string): Alphabet {
  const table = new Int16Array(65536).fill(-1);
  for (let i = 0; i < symbols.length; i++) table[symbols.charCodeAt(i)] = i;
  const log = Math.log2(symbols.length);
  const isBitEncoding = Number.isInteger(log) && log >= 1 && name !== "decimal";
  return { name, symbols, bitsPerChar: isBitEncoding ? log : null, symbolValue: (code) => table[code] ?? -1, table };
}

const subsetOf = (seen: ReadonlySet<string>, chars: string): boolean => {
  for (const c of seen) if (!chars.includes(c)) return false;
  return true;
};

/**
 * Detect the alphabet of a set of strings (field bodies, padding removed).
 *
 * The smallest standard alphabet that contains every character seen wins,
 * provided its marker characters appear: base64 needs one of its two
 * punctuation characters to be told from alphanumerics (without them the
 * field is read as alphanumeric, mixed radix, which never invents bias
 * where a 64-symbol reading would), base32 needs one of its digits 2–7.
 * A custom alphabet maps to bits only when its size is a power of two and
 * enough characters were seen (≥ 20 per symbol) that no symbol is likely missing.
 */
export function detectAlphabet(values: readonly string[]): Alphabet {
  const flags = new Uint8Array(65536);
  let total = 0;
  for (const v of values) {
    for (let i = 0; i < v.length; i++) flags[v.charCodeAt(i)] = 1;
    total += v.length;
  }
  const seen = new Set<string>();
  for (let code = 0; code < 65536; code++) if (flags[code]) seen.add(String.fromCharCode(code));
  const has = (chars: string): boolean => [...chars].some((c) => seen.has(c));
  if (subsetOf(seen, DIGITS)) return makeAlphabet("decimal", DIGITS);
  if (subsetOf(seen, HEX_LOWER)) return makeAlphabet("hex", HEX_LOWER);
  if (subsetOf(seen, HEX_UPPER)) return makeAlphabet("HEX", HEX_UPPER);
  if (subsetOf(seen, BASE32HEX)) return makeAlphabet("base32hex", BASE32HEX);
  // Upper-case letters alone are not base32: its digits 2–7 must show up too.
  if (subsetOf(seen, BASE32) && has("234567") && has(UPPER)) return makeAlphabet("base32", BASE32);
  if (subsetOf(seen, BASE64URL) && has("-_")) return makeAlphabet("base64url", BASE64URL);
  if (subsetOf(seen, BASE64) && has("+/")) return makeAlphabet("base64", BASE64);
  if (subsetOf(seen, ALNUM)) return makeAlphabet("alphanumeric", ALNUM);
  const symbols = [...seen].sort().join("");
  const log = Math.log2(symbols.length);
  const bits = Number.isInteger(log) && total >= 20 * symbols.length;
  const custom = makeAlphabet("custom", symbols);
  return bits ? custom : { ...custom, bitsPerChar: null };
}

/** Human name of an encoding for verdict sentences. */
export function encodingLabel(name: EncodingName): string {
  switch (name) {
    case "HEX":
      return "hex (upper case)";
    case "base32hex":
      return "base32 (0-9a-v)";
    case "alphanumeric":
      return "alphanumeric";
    default:
      return name;
  }
}
