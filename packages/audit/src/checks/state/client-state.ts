import type { CookieJar } from "../../http/cookie-jar.js";
import { type DecodedLayer, decodeValue, findSensitiveFields } from "../../tokens/decode.js";
import { IDENTITY_KINDS, PRIVILEGE_KINDS, type StateField } from "./claims.js";
import { type JwtHmacAlgorithm, jwsHmac } from "./jwt.js";
import { chainTo, type Signer } from "./rebuild.js";
import {
  type HmacScheme,
  type HmacVariant,
  hmacSignature,
  keygripData,
  matchSecret,
  variantsFor,
} from "./signed-cookie.js";

/** Most cookies examined per check: a target setting dozens of cookies must not multiply the requests. */
export const MAX_STATE_COOKIES = 6;

/** How client-side state is protected against modification. */
export type Protection =
  /** Nothing: anyone can re-encode it. */
  | { readonly kind: "unsigned" }
  /** A JWS; `alg` as the header says (`none` counts as unsigned). */
  | { readonly kind: "jwt"; readonly alg: string }
  /** An HMAC in the value (express, itsdangerous, Rails, generic) or in a keygrip companion cookie. */
  | { readonly kind: "hmac"; readonly scheme: HmacScheme };

/** A cookie whose value decodes to readable state naming a user or a privilege. */
export interface StateCookie {
  readonly name: string;
  /** The value as the jar holds it. */
  readonly value: string;
  /** True for the audit's session cookie. */
  readonly session: boolean;
  /** The layers from the cookie value to the readable JSON, outermost first. */
  readonly chain: readonly DecodedLayer[];
  /** The decoded JSON. */
  readonly claims: unknown;
  /** Identity, privilege and lifetime fields found in {@link claims}. */
  readonly fields: readonly StateField[];
  readonly protection: Protection;
  /** Name of the keygrip companion cookie (`<name>.sig`) when one signs this cookie. */
  readonly companion: string | null;
}

/** A cookie that carries a JWT (possibly URL-encoded or wrapped), readable claims or not. */
export interface JwtCookie {
  readonly name: string;
  readonly value: string;
  readonly session: boolean;
  /** Layers from the cookie value to the JWT layer, outermost first. */
  readonly chain: readonly DecodedLayer[];
  readonly header: Readonly<Record<string, unknown>>;
  /** The claims (an empty object when the payload is not a JSON object). */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly fields: readonly StateField[];
  /** `header.payload` as received and the signature segment. */
  readonly signingInput: string;
  readonly signature: string;
}

/** A cookie whose value (or companion) carries an HMAC the wordlist can be tried against. */
export interface SignedCookieState {
  readonly name: string;
  readonly session: boolean;
  /** `jwt` for HS256/384/512 tokens, else the HMAC scheme. */
  readonly scheme: HmacScheme | "jwt";
  /** Exactly what the server signed. */
  readonly data: string;
  readonly signature: string;
  /** For JWTs: the header's algorithm. */
  readonly jwtAlg: JwtHmacAlgorithm | null;
  /** Candidate HMAC variants (empty for JWTs: the header names the algorithm). */
  readonly variants: readonly HmacVariant[];
  /** The readable state the signature protects, when it names a user or a privilege. */
  readonly state: StateCookie | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function companionOf(jar: CookieJar, name: string): string | null {
  return jar.get(`${name}.sig`) === undefined ? null : `${name}.sig`;
}

function cookiesOf(jar: CookieJar): Array<{ name: string; value: string }> {
  return jar.all().filter((c) => !(c.name.endsWith(".sig") && jar.get(c.name.slice(0, -4)) !== undefined));
}

function protectionOf(chain: readonly DecodedLayer[], companion: string | null): Protection {
  const signed = [...chain].reverse().find((l) => l.signed !== undefined && l.signed.scheme !== "rails-encrypted");
  if (signed?.encoding === "jwt") {
    const alg = isObject(signed.header) && typeof signed.header["alg"] === "string" ? signed.header["alg"] : "unknown";
    return /^none$/i.test(alg) ? { kind: "unsigned" } : { kind: "jwt", alg };
  }
  if (signed?.signed !== undefined && signed.signed.scheme !== "jwt" && signed.signed.scheme !== "rails-encrypted") {
    return { kind: "hmac", scheme: signed.signed.scheme };
  }
  if (companion !== null) return { kind: "hmac", scheme: "keygrip" };
  return { kind: "unsigned" };
}

/**
 * The cookies that carry readable client-side state after login: every
 * cookie whose value decodes (URL, base64, hex, JSON, JWT, signed wrappers)
 * to JSON naming a user, a user id, an e-mail, a role or an admin flag —
 * the session cookie included.
 */
export function findClientState(jar: CookieJar, sessionCookie: string | null): StateCookie[] {
  const found: StateCookie[] = [];
  for (const { name, value } of cookiesOf(jar)) {
    const layers = decodeValue(value);
    for (const [index, layer] of layers.entries()) {
      if (layer.json === undefined || typeof layer.json !== "object" || layer.json === null) continue;
      const fields = findSensitiveFields(layer.json);
      if (!fields.some((f) => IDENTITY_KINDS.has(f.kind) || PRIVILEGE_KINDS.has(f.kind))) continue;
      const chain = chainTo(layers, index);
      const companion = companionOf(jar, name);
      found.push({
        name,
        value,
        session: name === sessionCookie,
        chain,
        claims: layer.json,
        fields,
        protection: protectionOf(chain, companion),
        companion,
      });
      break;
    }
    if (found.length >= MAX_STATE_COOKIES) break;
  }
  return found;
}

/** The cookies that carry a JWT, whatever its claims. */
export function findJwtCookies(jar: CookieJar, sessionCookie: string | null): JwtCookie[] {
  const found: JwtCookie[] = [];
  for (const { name, value } of cookiesOf(jar)) {
    const layers = decodeValue(value);
    const index = layers.findIndex((l) => l.encoding === "jwt" && l.signed !== undefined);
    const layer = layers[index];
    if (layer?.signed === undefined) continue;
    const claims = isObject(layer.json) ? layer.json : {};
    found.push({
      name,
      value,
      session: name === sessionCookie,
      chain: chainTo(layers, index),
      header: isObject(layer.header) ? layer.header : {},
      claims,
      fields: findSensitiveFields(claims),
      signingInput: layer.signed.signingInput,
      signature: layer.signed.signature,
    });
    if (found.length >= MAX_STATE_COOKIES) break;
  }
  return found;
}

/**
 * The cookies protected by an HMAC that a wordlist can attack: HS256/384/512
 * JWTs, express `s:` cookies, itsdangerous/Flask, Rails `--` and generic
 * `payload.signature` values, and keygrip `<name>.sig` companions. Signed
 * opaque ids count too: a guessable key is a finding whatever it signs.
 */
export function findSignedCookies(jar: CookieJar, sessionCookie: string | null): SignedCookieState[] {
  const states = new Map(findClientState(jar, sessionCookie).map((s) => [s.name, s]));
  const found: SignedCookieState[] = [];
  for (const { name, value } of cookiesOf(jar)) {
    const state = states.get(name) ?? null;
    const companion = jar.get(`${name}.sig`);
    const base = { name, session: name === sessionCookie, state };
    if (companion !== undefined) {
      const variants = variantsFor(companion, "keygrip");
      if (variants.length > 0) {
        found.push({
          ...base,
          scheme: "keygrip",
          data: keygripData(name, value),
          signature: companion,
          jwtAlg: null,
          variants,
        });
        continue;
      }
    }
    const layer = decodeValue(value).find((l) => l.signed !== undefined && l.signed.scheme !== "rails-encrypted");
    const signed = layer?.signed;
    if (signed === undefined || signed.scheme === "rails-encrypted") continue;
    if (signed.scheme === "jwt") {
      const alg = isObject(layer?.header) ? layer.header["alg"] : undefined;
      if (alg !== "HS256" && alg !== "HS384" && alg !== "HS512") continue;
      found.push({
        ...base,
        scheme: "jwt",
        data: signed.signingInput,
        signature: signed.signature,
        jwtAlg: alg,
        variants: [],
      });
      continue;
    }
    const variants = variantsFor(signed.signature, signed.scheme);
    if (variants.length === 0) continue;
    found.push({
      ...base,
      scheme: signed.scheme,
      data: signed.signingInput,
      signature: signed.signature,
      jwtAlg: null,
      variants,
    });
    if (found.length >= MAX_STATE_COOKIES) break;
  }
  return found;
}

/** A recovered key, ready to sign forged values. */
export interface CrackedKey {
  readonly secret: string;
  /** How the signature is computed, for reports (`HMAC-SHA256, base64`). */
  readonly algorithm: string;
  /** Signs a payload exactly as the server does. */
  readonly signer: Signer;
  /** The HMAC variant, for keygrip companions (`null` for JWTs). */
  readonly variant: HmacVariant | null;
}

const DIGEST_OF: Record<JwtHmacAlgorithm, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

/** Whether `secret` verifies the cookie; the key with its signer when it does. */
export function tryKey(cookie: SignedCookieState, secret: string): CrackedKey | null {
  if (cookie.jwtAlg !== null) {
    const alg = cookie.jwtAlg;
    if (jwsHmac(alg, secret, cookie.data) !== cookie.signature.replace(/=+$/, "")) return null;
    return {
      secret,
      algorithm: alg,
      variant: null,
      signer: {
        sign: (data) => jwsHmac(alg, secret, data),
        js: `(p)=>require("crypto").createHmac("${DIGEST_OF[alg]}",process.env.KEY).update(p).digest("base64url")`,
      },
    };
  }
  const key = matchSecret(cookie.data, cookie.signature, cookie.variants, secret);
  if (key === null) return null;
  const { variant } = key;
  const keyJs =
    variant.derivation === "itsdangerous"
      ? `require("crypto").createHmac("${variant.digest}",process.env.KEY).update("cookie-session").digest()`
      : "process.env.KEY";
  const encode: Record<HmacVariant["encoding"], string> = {
    base64: 'digest("base64").replace(/=+$/,"")',
    "base64-padded": 'digest("base64")',
    base64url: 'digest("base64url")',
    hex: 'digest("hex")',
    "hex-upper": 'digest("hex").toUpperCase()',
  };
  const algorithm = `HMAC-${variant.digest.toUpperCase()}${variant.derivation === "itsdangerous" ? " (Flask/itsdangerous key derivation)" : ""}`;
  return {
    secret,
    algorithm,
    variant,
    signer: {
      sign: (data) => hmacSignature(variant, secret, data),
      js: `(p)=>require("crypto").createHmac("${variant.digest}",${keyJs}).update(p).${encode[variant.encoding]}`,
    },
  };
}
