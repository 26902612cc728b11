import { createHmac } from "node:crypto";

/**
 * The HMAC-signed cookie schemes the auditor can attack. The first five are
 * the `signed.scheme` values of `decodeValue` (tokens/decode.ts) that carry an
 * HMAC; `keygrip` is cookie-level: cookie-session and Koa keep the value
 * plain and put the HMAC of `<name>=<value>` in a companion cookie `<name>.sig`.
 */
export type HmacScheme = "express" | "itsdangerous" | "rails" | "generic" | "keygrip";

/** A hash an HMAC may be built on. */
export type HmacDigest = "sha1" | "sha256" | "sha384" | "sha512";

/** How the MAC bytes are written into the cookie. */
export type SignatureEncoding = "base64" | "base64-padded" | "base64url" | "hex" | "hex-upper";

/**
 * How the HMAC key is obtained from the secret: `plain` uses the secret as is;
 * `itsdangerous` first derives `HMAC(secret, "cookie-session")`, as Flask's
 * session interface does by default.
 */
export type KeyDerivation = "plain" | "itsdangerous";

/** One way a signature may have been computed; several can fit one signature's length and alphabet. */
export interface HmacVariant {
  readonly digest: HmacDigest;
  readonly encoding: SignatureEncoding;
  readonly derivation: KeyDerivation;
}

/** A recovered signing key and the variant it verified with. */
export interface SigningKey {
  readonly secret: string;
  readonly variant: HmacVariant;
}

const DIGEST_BYTES: Record<HmacDigest, number> = { sha256: 32, sha1: 20, sha512: 64, sha384: 48 };
const DIGESTS = Object.keys(DIGEST_BYTES) as HmacDigest[];
/** Flask's `SecureCookieSessionInterface.salt`. */
const ITSDANGEROUS_SALT = "cookie-session";

/**
 * The HMAC variants whose output could be `signature`, judged by length and
 * alphabet only (a real HMAC check decides later), framework defaults first.
 */
export function variantsFor(signature: string, scheme: HmacScheme = "generic"): HmacVariant[] {
  const found: HmacVariant[] = [];
  const hex = /^[0-9a-f]+$/.test(signature);
  const hexUpper = /^[0-9A-F]+$/.test(signature) && /[A-F]/.test(signature);
  const b64 = /^[A-Za-z0-9+/]+={0,2}$/.test(signature);
  const b64url = /^[A-Za-z0-9_-]+$/.test(signature);
  for (const digest of DIGESTS) {
    const bytes = DIGEST_BYTES[digest];
    const unpadded = Math.ceil((bytes * 8) / 6);
    const padded = 4 * Math.ceil(bytes / 3);
    if (b64url && signature.length === unpadded && scheme === "itsdangerous") {
      found.push({ digest, encoding: "base64url", derivation: "itsdangerous" });
    }
    if (b64 && signature.length === unpadded) found.push({ digest, encoding: "base64", derivation: "plain" });
    if (b64 && signature.length === padded && padded !== unpadded && signature.endsWith("=")) {
      found.push({ digest, encoding: "base64-padded", derivation: "plain" });
    }
    if (b64url && /[-_]/.test(signature) && signature.length === unpadded) {
      found.push({ digest, encoding: "base64url", derivation: "plain" });
    }
    if (hex && signature.length === bytes * 2) found.push({ digest, encoding: "hex", derivation: "plain" });
    if (hexUpper && signature.length === bytes * 2) found.push({ digest, encoding: "hex-upper", derivation: "plain" });
  }
  // cookie-signature only ever writes unpadded base64 HMAC-SHA256.
  return scheme === "express" ? found.filter((v) => v.encoding === "base64" || v.encoding === "base64url") : found;
}

/** The signature of `data` under `secret` in one variant. */
export function hmacSignature(variant: HmacVariant, secret: string | Uint8Array, data: string): string {
  const key =
    variant.derivation === "itsdangerous"
      ? createHmac(variant.digest, secret).update(ITSDANGEROUS_SALT).digest()
      : secret;
  const mac = createHmac(variant.digest, key).update(data).digest();
  switch (variant.encoding) {
    case "hex":
      return mac.toString("hex");
    case "hex-upper":
      return mac.toString("hex").toUpperCase();
    case "base64":
      return mac.toString("base64").replace(/=+$/, "");
    case "base64-padded":
      return mac.toString("base64");
    case "base64url":
      return mac.toString("base64url");
  }
}

/** The first of `variants` in which `secret` signs `data` as `signature`, or `null`. */
export function matchSecret(
  data: string,
  signature: string,
  variants: readonly HmacVariant[],
  secret: string,
): SigningKey | null {
  for (const variant of variants) {
    if (hmacSignature(variant, secret, data) === signature) return { secret, variant };
  }
  return null;
}

/** The string keygrip signs for a cookie: `<name>=<value>` (cookies / cookie-session). */
export function keygripData(name: string, value: string): string {
  return `${name}=${value}`;
}

/** A short description of a variant for reports, e.g. `HMAC-SHA256, base64`. */
export function describeVariant(variant: HmacVariant): string {
  const derived = variant.derivation === "itsdangerous" ? ", key derived as Flask/itsdangerous does" : "";
  return `HMAC-${variant.digest.toUpperCase()}, ${variant.encoding}${derived}`;
}
