import { toBase64Url, utf8 } from "./encoding.js";

/** Number of random bytes in a session token (256 bits, SPEC L1). */
export const TOKEN_BYTES = 32;

/** Length of a token in base64url characters (32 bytes, no padding). */
export const TOKEN_LENGTH = 43;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A source of randomness with the shape of WebCrypto `getRandomValues`. */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => void;

/** The platform CSPRNG (WebCrypto `crypto.getRandomValues`). */
export const cryptoRandom: RandomSource = (bytes) => {
  crypto.getRandomValues(bytes);
};

/**
 * Creates a new session token: 32 bytes from a CSPRNG, base64url (SPEC L1).
 * Never derived from time, counters or user data.
 */
export function generateToken(random: RandomSource = cryptoRandom): string {
  const bytes = new Uint8Array(TOKEN_BYTES);
  random(bytes);
  return toBase64Url(bytes);
}

/** True when `value` has the exact shape of a token this library issues. */
export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * The store key of a token: SHA-256 of the token, base64url (SPEC L2). A
 * stolen store holds only these digests, which cannot be replayed as cookies.
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(token));
  return toBase64Url(new Uint8Array(digest));
}
