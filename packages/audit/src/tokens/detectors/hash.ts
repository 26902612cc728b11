/**
 * Hashes of guessable inputs: md5/sha1/sha256/… of small integers (counters),
 * of the issue time (seconds or milliseconds), and of either with a common
 * salt. Statistics cannot see these (md5 of a counter passes rngtest), so we
 * hash candidates and look them up among the observed digests.
 *
 * Cost control: every token's digest goes into one hash set, so each
 * candidate costs one hash and one lookup whichever token it would match;
 * the candidate budget is about 66k hashes (≈ 60 ms with node:crypto). Once a
 * candidate matches, the hypothesis is confirmed token by token, searching
 * only next to the previous token's preimage.
 */
import { hash } from "node:crypto";
import type { TokenSample } from "../index.js";
import { maxOf } from "../lib/array.js";

/** Digest sizes in bytes and the algorithm we assume for each. */
const ALGORITHMS: Readonly<Record<number, string>> = {
  16: "md5",
  20: "sha1",
  28: "sha224",
  32: "sha256",
  48: "sha384",
  64: "sha512",
};

/** Salts and suffixes seen in home-grown session code. */
export const COMMON_SALTS: readonly string[] = [
  "secret",
  "salt",
  "session",
  "sessionid",
  "sid",
  "token",
  "key",
  "changeme",
];

/** How the preimage is built from the secret-free input. */
export interface HashTemplate {
  /** `n`, `salt+n`, `n+salt`, `salt:n`, `n:salt`. */
  readonly form: string;
  readonly salt: string;
  readonly build: (x: number) => string;
}

/** A recognised hash generator. */
export interface HashModel {
  readonly algorithm: string;
  /** `counter` (small integers) or `time-s` / `time-ms` (the issue time). */
  readonly input: "counter" | "time-s" | "time-ms";
  readonly template: HashTemplate;
  /** The preimage of each token, or null where none was found. */
  readonly preimages: readonly (number | null)[];
  /** Tokens explained. */
  readonly explained: number;
  /** Tokens checked (time hypotheses are confirmed on the first 200 tokens). */
  readonly checked: number;
  /** Highest counter preimage seen (counter input), or last time preimage. */
  readonly last: number;
  /** Hashes computed. */
  readonly hashes: number;
}

/** Byte decoding of a digest-sized field. */
export interface DigestField {
  /** Decoded digest of each token as standard base64 (the cheapest node:crypto output to compare), or null when it does not decode to the common size. */
  readonly digests: readonly (string | null)[];
  readonly size: number;
  /** Write a digest (standard base64) as the field's text, the way the tokens write it (prefix and suffix included). */
  readonly encode: (digest: string) => string;
}

function makeTemplates(): HashTemplate[] {
  const out: HashTemplate[] = [{ form: "n", salt: "", build: (x) => String(x) }];
  for (const salt of COMMON_SALTS) {
    out.push({ form: "salt+n", salt, build: (x) => `${salt}${x}` });
    out.push({ form: "n+salt", salt, build: (x) => `${x}${salt}` });
  }
  return out;
}

/** Describe a template in words: `md5(1043)`, `md5("secret" + 1043)`. */
export function describePreimage(algorithm: string, template: HashTemplate, x: number | string): string {
  switch (template.form) {
    case "salt+n":
      return `${algorithm}("${template.salt}" + ${x})`;
    case "n+salt":
      return `${algorithm}(${x} + "${template.salt}")`;
    default:
      return `${algorithm}(${x})`;
  }
}

const DENSE_INTEGERS = 32_768;
const STRIDED_STEPS = 16_384;
const SALTED_INTEGERS = 1_024;
const TIME_TOKENS = 8;
const MS_WINDOW = 5_000;
const SALTED_MS_TOKENS = 2;
const SALTED_MS_WINDOW = 1_500;
const CONFIRM_SEARCH = 256;
const CONFIRM_GIVE_UP = 20;

/**
 * Look for a hash of a counter or of the issue time.
 *
 * @param field digests of a digest-sized field
 * @param samples the samples (times, when present, enable time hypotheses)
 */
export function detectHash(
  field: DigestField,
  samples: readonly TokenSample[],
): { readonly model: HashModel | null; readonly hashes: number } {
  const counter = { hashes: 0 };
  const model = search(field, samples, counter);
  return { model, hashes: counter.hashes };
}

function search(field: DigestField, samples: readonly TokenSample[], counter: { hashes: number }): HashModel | null {
  const algorithm = ALGORITHMS[field.size];
  if (!algorithm) return null;
  const index = new Map<string, number>();
  field.digests.forEach((d, i) => {
    if (d !== null && !index.has(d)) index.set(d, i);
  });
  if (index.size < 3) return null;
  const n = field.digests.length;
  const digest = (input: string): string => {
    counter.hashes++;
    return hash(algorithm, input, "base64");
  };
  const hashes = (): number => counter.hashes;
  const templates = makeTemplates();
  const plain = templates[0]!;

  // 1. Small integers: dense from 0, then strided. With N consecutive counter values in the sample, a
  //    stride of N/4 lands on one of them; this reaches counters near 16,384·N/4 for 16,384 hashes.
  const tryIntegers = (template: HashTemplate, candidates: Iterable<number>): HashModel | null => {
    for (const x of candidates) {
      const hit = index.get(digest(template.build(x)));
      if (hit !== undefined) return confirmCounter(field, index, template, algorithm, hit, x, digest, hashes);
    }
    return null;
  };
  const stride = Math.max(1, Math.floor(n / 4));
  const strided = function* (): Generator<number> {
    for (let i = 1; i <= STRIDED_STEPS; i++) yield DENSE_INTEGERS + i * stride;
  };
  const found = tryIntegers(plain, range(0, DENSE_INTEGERS)) ?? (stride > 1 ? tryIntegers(plain, strided()) : null);
  if (found) return found;

  // 2. The issue time, near the first tokens' capture times (server clock first: it is the one that hashed).
  const times = samples
    .slice(0, TIME_TOKENS)
    .map((s) => s.serverDate ?? s.receivedAt)
    .filter((t): t is number => t !== undefined);
  const timeHit = (template: HashTemplate, windowMs: number, tokens: number): HashModel | null => {
    for (const t of times.slice(0, tokens)) {
      const seconds = Math.floor(t / 1000);
      for (let s = seconds - 3; s <= seconds + 3; s++) {
        const hit = index.get(digest(template.build(s)));
        if (hit !== undefined) return confirmTime(field, template, algorithm, "time-s", samples, digest, hashes);
      }
      for (let ms = t - windowMs; ms <= t + windowMs; ms++) {
        const hit = index.get(digest(template.build(ms)));
        if (hit !== undefined) return confirmTime(field, template, algorithm, "time-ms", samples, digest, hashes);
      }
    }
    return null;
  };
  const plainTime = timeHit(plain, MS_WINDOW, TIME_TOKENS);
  if (plainTime) return plainTime;

  // 3. Salted integers and salted times, on a smaller budget.
  for (const template of templates.slice(1)) {
    const salted = tryIntegers(template, range(0, SALTED_INTEGERS));
    if (salted) return salted;
    const saltedTime = timeHit(template, SALTED_MS_WINDOW, SALTED_MS_TOKENS);
    if (saltedTime) return saltedTime;
  }
  return null;
}

/**
 * The search's reach in words, for the "nothing found" verdict.
 *
 * @param n number of tokens (sets the stride)
 * @param timed whether capture times were available
 */
export function describeHashSearch(n: number, timed: boolean): string {
  const stride = Math.max(1, Math.floor(n / 4));
  const reach = DENSE_INTEGERS + STRIDED_STEPS * stride;
  const integers =
    stride > 1
      ? `integers 0–${(DENSE_INTEGERS - 1).toLocaleString("en-US")} and every ${stride.toLocaleString("en-US")}th up to ${reach.toLocaleString("en-US")}`
      : `integers 0–${(DENSE_INTEGERS - 1).toLocaleString("en-US")}`;
  const times = timed
    ? ", of the capture times (seconds and milliseconds)"
    : " (no capture times: timestamps not tried)";
  return `hashes of ${integers}${times}, also with ${COMMON_SALTS.length} common salts`;
}

function* range(from: number, to: number): Generator<number> {
  for (let x = from; x < to; x++) yield x;
}

/** Walk forward and backward from the matched token, expecting preimages close to the neighbour's. */
function confirmCounter(
  field: DigestField,
  index: Map<string, number>,
  template: HashTemplate,
  algorithm: string,
  hit: number,
  x: number,
  digest: (input: string) => string,
  count: () => number,
): HashModel {
  const n = field.digests.length;
  const preimages: (number | null)[] = new Array(n).fill(null);
  preimages[hit] = x;
  const search = (from: number, to: number, direction: 1 | -1): void => {
    let anchor = x;
    let misses = 0;
    for (let i = from; direction > 0 ? i < to : i >= to; i += direction) {
      const target = field.digests[i];
      if (target === null || target === undefined) continue;
      let match: number | null = null;
      // Try +1, +2, … (or −1, −2, …) first, then the other direction for shuffled issue order.
      for (let k = 1; k <= CONFIRM_SEARCH && match === null; k++) {
        for (const candidate of [anchor + direction * k, anchor - direction * k]) {
          if (candidate >= 0 && digest(template.build(candidate)) === target) {
            match = candidate;
            break;
          }
        }
      }
      if (match !== null) {
        preimages[i] = match;
        anchor = match;
        misses = 0;
      } else if (++misses >= CONFIRM_GIVE_UP) {
        break;
      }
    }
  };
  search(hit + 1, n, 1);
  search(hit - 1, 0, -1);
  // Tokens whose digest equals an already explained one (duplicates) count as explained.
  for (let i = 0; i < n; i++) {
    if (preimages[i] === null && field.digests[i] !== null) {
      const j = index.get(field.digests[i]!);
      if (j !== undefined && preimages[j] !== null) preimages[i] = preimages[j]!;
    }
  }
  const explained = preimages.filter((p) => p !== null) as number[];
  return {
    algorithm,
    input: "counter",
    template,
    preimages,
    explained: explained.length,
    checked: n,
    last: maxOf(explained),
    hashes: count(),
  };
}

/** Confirm a time hypothesis on the first 200 tokens, searching near each one's capture time. */
function confirmTime(
  field: DigestField,
  template: HashTemplate,
  algorithm: string,
  input: "time-s" | "time-ms",
  samples: readonly TokenSample[],
  digest: (input: string) => string,
  count: () => number,
): HashModel {
  const n = field.digests.length;
  const preimages: (number | null)[] = new Array(n).fill(null);
  const limit = Math.min(n, 200);
  let checked = 0;
  let offset = 0;
  for (let i = 0; i < limit; i++) {
    const t = samples[i]?.serverDate ?? samples[i]?.receivedAt;
    const target = field.digests[i];
    if (t === undefined || target === null || target === undefined) continue;
    checked++;
    const centre = input === "time-s" ? Math.floor(t / 1000) + offset : t + offset;
    const window = input === "time-s" ? 3 : 2_000;
    for (let d = 0; d <= window; d++) {
      const found = [centre + d, centre - d].find((c) => digest(template.build(c)) === target);
      if (found !== undefined) {
        preimages[i] = found;
        offset = found - (input === "time-s" ? Math.floor(t / 1000) : t);
        break;
      }
    }
  }
  const explained = preimages.filter((p) => p !== null) as number[];
  return {
    algorithm,
    input,
    template,
    preimages,
    explained: explained.length,
    checked,
    last: explained.length > 0 ? explained[explained.length - 1]! : 0,
    hashes: count(),
  };
}
