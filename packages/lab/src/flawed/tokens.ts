import { createHash, randomBytes, randomInt } from "node:crypto";
import { LabUsageError } from "../errors.js";
import { type FlawSet, type PlantableFlaw, TOKEN_FLAW_PRECEDENCE } from "./flaws.js";

/** Who a session id is issued to; the decodable generator writes it into the id. */
export type TokenSubject = { readonly user: string; readonly role: string; readonly email: string } | null;

/** Issues one session id. */
export type TokenGenerator = (subject: TokenSubject) => string;

/**
 * Deterministic generators for `token-predictable`, for exercising the
 * auditor's structure detectors. `md5-counter` is the default.
 * - `md5-counter`, `sha1-counter`, `sha256-counter`: hex hash of the decimal counter 1, 2, 3, …
 * - `md5-time`: hex md5 of `Date.now()` in decimal milliseconds
 * - `counter-millis`: `<counter>-<Date.now()>` (the id-plus-time pattern)
 * - `lcg`: four consecutive outputs of the Numerical Recipes LCG (x·1664525 + 1013904223 mod 2³²), 8 hex digits each
 */
export const PREDICTABLE_VARIANTS = [
  "md5-counter",
  "sha1-counter",
  "sha256-counter",
  "md5-time",
  "counter-millis",
  "lcg",
] as const;

/** One of {@link PREDICTABLE_VARIANTS}. */
export type PredictableVariant = (typeof PREDICTABLE_VARIANTS)[number];

/** Validates a predictable-generator name (from an option or `SESSIONGUARD_LAB_PREDICTABLE`). */
export function parsePredictableVariant(name: string): PredictableVariant {
  if ((PREDICTABLE_VARIANTS as readonly string[]).includes(name)) return name as PredictableVariant;
  throw new LabUsageError(`unknown predictable generator ${name}; use one of ${PREDICTABLE_VARIANTS.join(", ")}`);
}

const hex = (algorithm: string, text: string): string => createHash(algorithm).update(text).digest("hex");

/** The secure baseline: 32 bytes from the CSPRNG, base64url (SPEC L1). */
export const secureToken: TokenGenerator = () => randomBytes(32).toString("base64url");

/** `token-length`: 96 random bits. 32 would also trip token-entropy and birthday duplicates. */
export const shortToken: TokenGenerator = () => randomBytes(12).toString("hex");

/**
 * `token-bias`: 32 bytes in hex, each drawn with `randomInt(0, 0xc0)` instead
 * of 256 (a range bug), so every other hex character is 0-b and never c-f.
 * The affected bits still vary, only unevenly, so statistics reject them
 * rather than counting them as constant (as they would a fixed version
 * nibble); 128 bits stay sound, so the effective entropy holds.
 */
export const biasedToken: TokenGenerator = () => {
  let token = "";
  for (let i = 0; i < 32; i++) token += randomInt(0, 0xc0).toString(16).padStart(2, "0");
  return token;
};

/**
 * `token-decodable`: profile data in front of an unguessable nonce. The JSON
 * part is constant for anonymous sessions, so statistics over sampled ids see
 * only the random nonce vary and the flaw stays decodability alone.
 */
export const decodableToken: TokenGenerator = (subject) => {
  const profile =
    subject === null ? { user: null, role: "guest" } : { user: subject.user, role: subject.role, email: subject.email };
  return `${Buffer.from(JSON.stringify(profile)).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
};

/**
 * `token-entropy`: a home-grown "unique id plus a random salt" — the md5 of a
 * sequence number, a dash, and 32 bits from `Math.random()`
 * (`md5(++seq) + "-" + 8 hex`). 160 variable bits keep token-length quiet
 * and the whole id is not predictable (the salt is random), but once the
 * md5 field is recognised only the 32-bit salt and the guessable sequence
 * number remain to guess: well below 64 bits of effective entropy.
 */
export function lowEntropyGenerator(): TokenGenerator {
  let sequence = 0;
  return () => {
    const salt = Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, "0");
    return `${hex("md5", String(++sequence))}-${salt}`;
  };
}

/**
 * `token-duplicate`: ids come from a pool refilled in batches of 32, and an
 * off-by-one hands the last id of each batch out again. Random ids otherwise,
 * so the flaw is the duplicate alone (not predictability or low entropy, as a
 * time-derived id would also be).
 */
export function duplicatingGenerator(): TokenGenerator {
  let issued = 0;
  let previous = "";
  return () => {
    issued += 1;
    if (issued % 32 !== 0 || previous === "") previous = secureToken(null);
    return previous;
  };
}

/** `token-predictable` generators; each call to this function starts a new counter at 1. */
export function predictableGenerator(variant: PredictableVariant): TokenGenerator {
  let counter = 0;
  switch (variant) {
    case "md5-counter":
      return () => hex("md5", String(++counter));
    case "sha1-counter":
      return () => hex("sha1", String(++counter));
    case "sha256-counter":
      return () => hex("sha256", String(++counter));
    case "md5-time":
      return () => hex("md5", String(Date.now()));
    case "counter-millis":
      return () => `${++counter}-${Date.now()}`;
    case "lcg": {
      let state = 20240601;
      const word = (): string => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state.toString(16).padStart(8, "0");
      };
      return () => word() + word() + word() + word();
    }
  }
}

/**
 * The generator of a flaw set: the first planted flaw of
 * {@link TOKEN_FLAW_PRECEDENCE}, or the secure one when none is planted.
 */
export function selectGenerator(
  flaws: FlawSet,
  variant: PredictableVariant = "md5-counter",
): { generator: TokenGenerator; flaw: PlantableFlaw | null } {
  const flaw = TOKEN_FLAW_PRECEDENCE.find((id) => flaws.has(id)) ?? null;
  switch (flaw) {
    case "token-predictable":
      return { generator: predictableGenerator(variant), flaw };
    case "token-duplicate":
      return { generator: duplicatingGenerator(), flaw };
    case "token-entropy":
      return { generator: lowEntropyGenerator(), flaw };
    case "token-length":
      return { generator: shortToken, flaw };
    case "token-bias":
      return { generator: biasedToken, flaw };
    case "token-decodable":
      return { generator: decodableToken, flaw };
    default:
      return { generator: secureToken, flaw: null };
  }
}
