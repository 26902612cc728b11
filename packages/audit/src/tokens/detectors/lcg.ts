/**
 * Linear congruential generators from consecutive outputs.
 *
 * java.util.Random: a 48-bit LCG (a = 0x5DEECE66D, c = 11) whose `next(32)`
 * reveals the top 32 bits of the state; two consecutive outputs leave 2^16
 * candidate states, and the right one predicts everything after. `nextLong()`
 * is two outputs in one token, so one token suffices. Other clients may take
 * outputs in between: we look up to 16 outputs ahead.
 *
 * Full-state LCGs (x' = a·x + c mod m, parameters unknown): m divides every
 * t(i+2)·t(i) − t(i+1)² with t(i) = x(i+1) − x(i), so a gcd recovers it;
 * a and c follow. Common textbook constants are also tried with gaps.
 */

const TWO16 = 2 ** 16;
const TWO24 = 2 ** 24;
const TWO32 = 2 ** 32;
const A_HI = 0x5de;
const A_LO = 0xece66d;
/** Outputs other clients may have taken between two of our tokens. */
const MAX_SKIP = 16;

/** A recognised LCG. */
export interface LcgModel {
  /** Plain words: `java.util.Random (48-bit LCG), nextLong() per token`. */
  readonly generator: string;
  /** Values explained (after the ones used to recover the state). */
  readonly explained: number;
  /** Values checked. */
  readonly checked: number;
  /** The next values the generator will output, in the token's numeric form, most likely first. */
  readonly next: readonly bigint[];
  /** Recovered parameters, for evidence. */
  readonly detail: string;
}

/** One java.util.Random step on a 48-bit state held exactly in a double. */
export function javaStep(state: number): number {
  const hi = Math.floor(state / TWO24);
  const lo = state % TWO24;
  const low = lo * A_LO + 0xb;
  const mid = (hi * A_LO + lo * A_HI + Math.floor(low / TWO24)) % TWO24;
  return mid * TWO24 + (low % TWO24);
}

/** `next(32)` of a state, as an unsigned 32-bit number. */
export function javaOutput(state: number): number {
  return Math.floor(state / TWO16);
}

/** The scrambled seed `new Random(seed)` starts from. */
export function javaSeed(seed: bigint): number {
  return Number((seed ^ 0x5deece66dn) & ((1n << 48n) - 1n));
}

const signed32 = (u: number): bigint => BigInt(u >= 2 ** 31 ? u - TWO32 : u);
const unsigned32 = (x: bigint): number => Number(((x % 4294967296n) + 4294967296n) % 4294967296n);

/** Split a 64-bit `nextLong()` value into its two `next(32)` outputs (unsigned). */
export function splitLong(value: bigint): [number, number] {
  const low = unsigned32(value);
  const high = unsigned32((value - signed32(low)) >> 32n);
  return [high, low];
}

/** Join two outputs as `nextLong()` does: `((long) a << 32) + b`, wrapped to signed 64 bits. */
export function joinLong(a: number, b: number): bigint {
  return BigInt.asIntN(64, (signed32(a) << 32n) + signed32(b));
}

/** States whose output is `x0` and whose successor outputs `x1` (after `skip` hidden outputs). */
function recover(x0: number, x1: number, skip: number): number[] {
  const found: number[] = [];
  const base = x0 * TWO16;
  for (let r = 0; r < TWO16; r++) {
    let s = javaStep(base + r);
    for (let k = 0; k < skip; k++) s = javaStep(s);
    if (javaOutput(s) === x1) found.push(s);
  }
  return found;
}

/**
 * Detect java.util.Random.
 *
 * @param values the tokens' numbers in issue order
 * @param kind `long` when each value is one `nextLong()` (64-bit), `int` for `nextInt()` (32-bit)
 */
export function detectJavaRandom(values: readonly bigint[], kind: "long" | "int"): LcgModel | null {
  if (values.length < 2) return null;
  const perToken = kind === "long" ? 2 : 1;
  const outputs = values.map((v) => (kind === "long" ? splitLong(v) : [unsigned32(v)]));
  // State after the first token's last output.
  let state: number | null = null;
  let start = 1;
  if (kind === "long") {
    const [a, b] = outputs[0]! as [number, number];
    state = recover(a, b, 0)[0] ?? null;
  } else {
    for (let skip = 0; skip <= 3 && state === null; skip++) {
      const candidates = recover(outputs[0]![0]!, outputs[1]![0]!, skip);
      if (candidates.length === 1) state = candidates[0]!;
    }
    start = 2;
  }
  if (state === null) return null;
  let explained = 0;
  let checked = 0;
  let misses = 0;
  for (let i = start; i < values.length; i++) {
    checked++;
    const target = outputs[i]!;
    let s = state;
    let matched: number | null = null;
    // Walk ahead through up to MAX_SKIP outputs looking for this token's outputs in order.
    const window: number[] = [];
    const states: number[] = [];
    for (let k = 0; k < MAX_SKIP + perToken; k++) {
      s = javaStep(s);
      window.push(javaOutput(s));
      states.push(s);
      if (window.length >= perToken) {
        const tail = window.slice(window.length - perToken);
        if (tail.every((x, j) => x === target[j])) {
          matched = states[states.length - 1]!;
          break;
        }
      }
    }
    if (matched !== null) {
      state = matched;
      explained++;
      misses = 0;
    } else if (++misses >= 8) {
      break;
    }
  }
  if (checked > 0 && explained < Math.max(1, 0.5 * checked)) return null;
  const next: bigint[] = [];
  let s = state;
  for (let k = 0; k < 20; k++) {
    if (kind === "long") {
      s = javaStep(s);
      const a = javaOutput(s);
      s = javaStep(s);
      next.push(joinLong(a, javaOutput(s)));
    } else {
      s = javaStep(s);
      next.push(signed32(javaOutput(s)));
    }
  }
  return {
    generator: `java.util.Random (48-bit LCG), ${kind === "long" ? "nextLong()" : "nextInt()"} per token`,
    explained,
    checked,
    next,
    detail: `internal state recovered from the first ${kind === "long" ? "token" : "two tokens"} (2^16 candidates searched)`,
  };
}

/** Textbook LCGs that output their whole state. */
const KNOWN: readonly { readonly name: string; readonly a: bigint; readonly c: bigint; readonly m: bigint }[] = [
  { name: "glibc rand (TYPE_0)", a: 1103515245n, c: 12345n, m: 2n ** 31n },
  { name: "MINSTD (Park–Miller)", a: 16807n, c: 0n, m: 2n ** 31n - 1n },
  { name: "MINSTD (48271)", a: 48271n, c: 0n, m: 2n ** 31n - 1n },
  { name: "Numerical Recipes", a: 1664525n, c: 1013904223n, m: 2n ** 32n },
  { name: "Borland C", a: 22695477n, c: 1n, m: 2n ** 32n },
  { name: "MMIX (Knuth)", a: 6364136223846793005n, c: 1442695040888963407n, m: 2n ** 64n },
];

const mod = (x: bigint, m: bigint): bigint => ((x % m) + m) % m;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function inverse(a: bigint, m: bigint): bigint | null {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return oldR === 1n ? mod(oldS, m) : null;
}

/**
 * Detect a full-state LCG, parameters unknown (consecutive outputs) or
 * textbook constants (with up to 16 hidden outputs between tokens).
 *
 * @param values non-negative integers in issue order
 */
export function detectLinearCongruential(values: readonly bigint[]): LcgModel | null {
  if (values.length < 4 || values.some((v) => v < 0n)) return null;
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  // Reject on the first 200 values before paying for all of them.
  const verify = (a: bigint, c: bigint, m: bigint, skip: number, limit = values.length): { explained: number } => {
    if (limit > 200 && verify(a, c, m, skip, 200).explained < 0.9 * 199) return { explained: 0 };
    let explained = 0;
    let x = values[0]!;
    for (let i = 1; i < limit; i++) {
      let y = x;
      let ok = false;
      for (let k = 0; k <= skip && !ok; k++) {
        y = mod(a * y + c, m);
        ok = y === values[i];
      }
      if (ok) explained++;
      x = values[i]!;
    }
    return { explained };
  };
  const model = (name: string, a: bigint, c: bigint, m: bigint, explained: number): LcgModel => {
    const next: bigint[] = [];
    let x = values[values.length - 1]!;
    for (let k = 0; k < 20; k++) {
      x = mod(a * x + c, m);
      next.push(x);
    }
    return {
      generator: `a linear congruential generator (${name})`,
      explained,
      checked: values.length - 1,
      next,
      detail: `x' = ${a}·x + ${c} mod ${m}`,
    };
  };
  // Unknown parameters, consecutive outputs.
  if (values.length >= 6) {
    const t = values.slice(1).map((v, i) => v - values[i]!);
    let m = 0n;
    for (let i = 0; i + 2 < t.length && i < 12; i++) m = gcd(m, t[i + 2]! * t[i]! - t[i + 1]! * t[i + 1]!);
    if (m > max && m > 1n) {
      for (let i = 0; i + 1 < t.length && i < 6; i++) {
        const inv = inverse(t[i]!, m);
        if (inv === null) continue;
        const a = mod(t[i + 1]! * inv, m);
        const c = mod(values[1]! - a * values[0]!, m);
        const { explained } = verify(a, c, m, 0);
        if (explained >= 0.9 * (values.length - 1)) return model("parameters recovered", a, c, m, explained);
        break;
      }
    }
  }
  for (const known of KNOWN) {
    if (max >= known.m) continue;
    const { explained } = verify(known.a, known.c, known.m, MAX_SKIP);
    if (explained >= 0.9 * (values.length - 1)) return model(known.name, known.a, known.c, known.m, explained);
  }
  return null;
}
