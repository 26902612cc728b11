/**
 * Token layout: fixed separators split a token into fields (`<id>-<millis>`,
 * UUID groups), and each field loses its constant prefix and suffix, so that
 * only variable positions reach the statistics. A constant `sess_v1_` would
 * otherwise look like eight perfectly biased characters (ENV-NOTES).
 */
import { type Alphabet, detectAlphabet } from "./alphabet.js";
import { maxOf, minOf } from "./lib/array.js";

/** One field of every token. */
export interface Field {
  /** Position among the token's fields, 0-based. */
  readonly index: number;
  /** The field of each token, verbatim. */
  readonly values: readonly string[];
  /** Every value is a decimal integer (optionally negative): analysed as a number. */
  readonly numeric: boolean;
  /** Every value is identical: carries no information and is skipped. */
  readonly constant: boolean;
  /** Constant leading characters of the field (empty for numeric fields: digits are not stripped). */
  readonly prefix: string;
  /** Constant trailing characters, including base64 `=` padding. */
  readonly suffix: string;
  /** Values without prefix, suffix and trailing `=` padding. */
  readonly bodies: readonly string[];
  readonly alphabet: Alphabet;
  readonly minLength: number;
  readonly maxLength: number;
}

/** How the tokens are built. */
export interface Layout {
  /** Constant prefix of the whole token (for reporting). */
  readonly prefix: string;
  /** Constant suffix of the whole token (for reporting). */
  readonly suffix: string;
  /** Separators between fields, in order (`["-"]` for `<id>-<millis>`; `""` between implicit fields). */
  readonly separators: readonly string[];
  readonly fields: readonly Field[];
  readonly minLength: number;
  readonly maxLength: number;
}

const NUMERIC = /^-?[0-9]+$/;

/** Longest common prefix of all strings. */
export function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return "";
  let prefix = values[0]!;
  for (const v of values) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix.charCodeAt(i) === v.charCodeAt(i)) i++;
    prefix = prefix.slice(0, i);
    if (prefix.length === 0) break;
  }
  return prefix;
}

/** Longest common suffix of all strings, not overlapping `skip` leading characters of any. */
export function commonSuffix(values: readonly string[], skip = 0): string {
  if (values.length === 0) return "";
  let suffix = values[0]!.slice(skip);
  for (const v of values) {
    const body = v.slice(skip);
    let i = 0;
    while (
      i < suffix.length &&
      i < body.length &&
      suffix.charCodeAt(suffix.length - 1 - i) === body.charCodeAt(body.length - 1 - i)
    )
      i++;
    suffix = suffix.slice(suffix.length - i);
    if (suffix.length === 0) break;
  }
  return suffix;
}

/**
 * Separator characters: non-alphanumeric characters that occur the same
 * number of times (≥ 1) in every token, at the same positions when all
 * tokens have one length, and not only as trailing `=` padding. With at
 * least 5 tokens a random base64url `-` or `_` passes this by chance with
 * probability below 1 %; with 10, below 0.003 %.
 */
function findSeparators(tokens: readonly string[]): string[] {
  if (tokens.length < 5) return [];
  const first = tokens[0]!;
  const sameLength = tokens.every((t) => t.length === first.length);
  const candidates = new Set([...first].filter((c) => !/[A-Za-z0-9]/.test(c)));
  const separators: string[] = [];
  for (const c of candidates) {
    if (c === "=" && /^[^=]*=+$/.test(first)) continue;
    const positions = (t: string): number[] => [...t].flatMap((ch, i) => (ch === c ? [i] : []));
    const reference = positions(first);
    const ok = tokens.every((t) => {
      const p = positions(t);
      if (p.length !== reference.length) return false;
      return !sameLength || p.every((x, i) => x === reference[i]);
    });
    if (ok) separators.push(c);
  }
  return separators;
}

/** Split the tokens into fields and describe each. */
export function detectLayout(tokens: readonly string[]): Layout {
  const prefix = commonPrefix(tokens);
  const suffix = commonSuffix(tokens, prefix.length);
  const separatorChars = findSeparators(tokens);
  const splitter = separatorChars.length > 0 ? new RegExp(`[${separatorChars.map(escapeClass).join("")}]`) : null;
  const parts = tokens.map((t) => (splitter ? t.split(splitter) : [t]));
  const sequence = (t: string): string => [...t].filter((c) => separatorChars.includes(c)).join("");
  const consistent = splitter === null || tokens.every((t) => sequence(t) === sequence(tokens[0]!));
  const rows = consistent ? parts : tokens.map((t) => [t]);
  const explicit = consistent && tokens[0] ? [...sequence(tokens[0])] : [];
  const fieldCount = rows[0]?.length ?? 0;
  const fields: Field[] = [];
  const separators: string[] = [];
  for (let f = 0; f < fieldCount; f++) {
    if (f > 0) separators.push(explicit[f - 1] ?? "");
    const pieces = splitAtConstantRuns(rows.map((r) => r[f] ?? ""));
    pieces.forEach((piece, k) => {
      if (k > 0) separators.push("");
      fields.push(describeField(fields.length, piece));
    });
  }
  let minLength = tokens.length > 0 ? Number.POSITIVE_INFINITY : 0;
  let maxLength = 0;
  for (const t of tokens) {
    minLength = Math.min(minLength, t.length);
    maxLength = Math.max(maxLength, t.length);
  }
  return { prefix, suffix, separators, fields, minLength, maxLength };
}

/**
 * Implicit fields: a fixed-length value whose middle holds a run of constant
 * characters (a MongoDB ObjectId: 4-byte time, 5 per-process bytes, 3-byte
 * counter) is split around that run, so that the time and the counter are
 * examined on their own. Needs 10 samples: a random hex position stays
 * constant over 10 tokens with probability 16^−9.
 */
function splitAtConstantRuns(values: readonly string[]): string[][] {
  const first = values[0] ?? "";
  if (values.length < 10 || first.length < 3 || NUMERIC.test(first) || values.some((v) => v.length !== first.length)) {
    return [[...values]];
  }
  const constant = [...first].map((c, p) => values.every((v) => v[p] === c));
  const start = constant.indexOf(false);
  const end = constant.lastIndexOf(false);
  if (start < 0) return [[...values]];
  // Cut where constant and variable positions meet strictly inside the variable span; a constant
  // prefix or suffix stays attached to the first or last piece, where it is stripped as usual.
  const cuts: number[] = [];
  for (let p = start + 1; p <= end; p++) if (constant[p] !== constant[p - 1]) cuts.push(p);
  if (cuts.length === 0) return [[...values]];
  const bounds = [0, ...cuts, first.length];
  const pieces: string[][] = [];
  for (let k = 0; k + 1 < bounds.length; k++) pieces.push(values.map((v) => v.slice(bounds[k], bounds[k + 1])));
  return pieces;
}

function describeField(index: number, values: readonly string[]): Field {
  const constant = values.every((v) => v === values[0]);
  const numeric = !constant && values.every((v) => NUMERIC.test(v)) && values.some((v) => v.length > 0);
  let prefix = "";
  let suffix = "";
  let bodies = values;
  if (!numeric) {
    prefix = commonPrefix(values);
    suffix = commonSuffix(values, prefix.length);
    bodies = values.map((v) => v.slice(prefix.length, v.length - suffix.length).replace(/=+$/, ""));
    if (constant) bodies = values.map(() => "");
  }
  const lengths = bodies.map((b) => b.length);
  return {
    index,
    values,
    numeric,
    constant,
    prefix,
    suffix,
    bodies,
    alphabet: detectAlphabet(numeric ? values.map((v) => v.replace("-", "")) : bodies),
    minLength: minOf(lengths),
    maxLength: maxOf(lengths),
  };
}

function escapeClass(c: string): string {
  return c.replace(/[\\\]^-]/g, "\\$&");
}
