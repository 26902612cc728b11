import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FlawSet } from "./flaws.js";

/** Cookie with the user's profile (`state-tampering`, `state-weak-key`). */
export const PROFILE_COOKIE = "profile";

/** Cookie with a JWT of the user's profile (`jwt-alg-none`, `jwt-expiry`; `state-weak-key` with `state-tampering`). */
export const JWT_COOKIE = "token";

/** The signing key of `state-weak-key`: the first word of every secret wordlist. */
export const WEAK_SIGNING_KEY = "secret";

/** Identity claims carried in client-side state. */
export interface ClientClaims {
  readonly user: string;
  readonly role: string;
}

/** What the request's client-side state says, once verified. */
export type ClientStateReading =
  | {
      readonly ok: true;
      /** From the `profile` cookie, when the app issues and the request sends one. */
      readonly profile?: ClientClaims;
      /** From the `token` JWT, when the app issues and the request sends one. */
      readonly jwt?: ClientClaims;
    }
  | { readonly ok: false };

/** Options of {@link ClientState}. */
export interface ClientStateOptions {
  /** Lifetime of the JWT's `exp`, in seconds (ignored with `jwt-expiry`). */
  readonly jwtLifetimeSeconds: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

type ProfileMode = "none" | "unsigned" | "signed";

const b64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url");

function parseClaims(json: string): ClientClaims | null {
  try {
    const value = JSON.parse(json) as unknown;
    if (value === null || typeof value !== "object") return null;
    const { user, role, sub } = value as { user?: unknown; role?: unknown; sub?: unknown };
    const name = typeof user === "string" ? user : sub;
    if (typeof name !== "string" || name === "") return null;
    return { user: name, role: typeof role === "string" ? role : "user" };
  } catch {
    return null;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Client-side session state of the legacy app. Issued only when a state or
 * JWT flaw is planted; then /account takes the name and role it shows from
 * it (a live signed-in server session is still required, so logout and the
 * timeouts keep working and each flaw stays alone). Present but invalid
 * state makes the request anonymous, so an auditor can tell "accepted" from
 * "ignored".
 *
 * - `profile` cookie: unsigned base64 JSON with `state-tampering`; else, with
 *   `state-weak-key`, signed in the cookie-signature form
 *   `s:<base64url JSON>.<base64 HMAC-SHA256 without padding>` under `secret`,
 *   URL-encoded as express's `res.cookie` writes it.
 * - `token` cookie: an HS256 JWT `{sub, role, iat, exp}` with `jwt-alg-none`
 *   or `jwt-expiry`, or with both state flaws (so the weak key still signs
 *   something when the profile is unsigned). Its key is `secret` with
 *   `state-weak-key`, 32 random bytes otherwise.
 */
export class ClientState {
  readonly #flaws: FlawSet;
  readonly #profile: ProfileMode;
  readonly #jwt: boolean;
  readonly #key: Buffer;
  readonly #lifetime: number;
  readonly #now: () => number;

  constructor(flaws: FlawSet, options: ClientStateOptions) {
    this.#flaws = flaws;
    this.#profile = flaws.has("state-tampering") ? "unsigned" : flaws.has("state-weak-key") ? "signed" : "none";
    this.#jwt =
      flaws.has("jwt-alg-none") ||
      flaws.has("jwt-expiry") ||
      (flaws.has("state-tampering") && flaws.has("state-weak-key"));
    this.#key = flaws.has("state-weak-key") ? Buffer.from(WEAK_SIGNING_KEY) : randomBytes(32);
    this.#lifetime = options.jwtLifetimeSeconds;
    this.#now = options.now ?? Date.now;
  }

  /** Names of the client-side state cookies this app issues (possibly none). */
  get cookieNames(): string[] {
    return [...(this.#profile === "none" ? [] : [PROFILE_COOKIE]), ...(this.#jwt ? [JWT_COOKIE] : [])];
  }

  /** The cookies to set at login, as name and cookie-safe value. */
  issue(claims: ClientClaims): Array<[string, string]> {
    const cookies: Array<[string, string]> = [];
    const json = JSON.stringify({ user: claims.user, role: claims.role });
    if (this.#profile === "unsigned")
      cookies.push([PROFILE_COOKIE, encodeURIComponent(Buffer.from(json).toString("base64"))]);
    if (this.#profile === "signed") {
      const payload = b64url(json);
      cookies.push([PROFILE_COOKIE, encodeURIComponent(`s:${payload}.${this.#cookieSignature(payload)}`)]);
    }
    if (this.#jwt) cookies.push([JWT_COOKIE, this.#signJwt(claims)]);
    return cookies;
  }

  /** Verifies the client-side state the request sent (cookies it does not issue are ignored). */
  read(cookies: ReadonlyMap<string, string>): ClientStateReading {
    let profile: ClientClaims | undefined;
    let jwt: ClientClaims | undefined;
    const profileValue = this.#profile === "none" ? undefined : cookies.get(PROFILE_COOKIE);
    if (profileValue !== undefined) {
      const claims = this.#readProfile(profileValue);
      if (claims === null) return { ok: false };
      profile = claims;
    }
    const jwtValue = this.#jwt ? cookies.get(JWT_COOKIE) : undefined;
    if (jwtValue !== undefined) {
      const claims = this.#verifyJwt(jwtValue);
      if (claims === null) return { ok: false };
      jwt = claims;
    }
    return { ok: true, ...(profile === undefined ? {} : { profile }), ...(jwt === undefined ? {} : { jwt }) };
  }

  #cookieSignature(payload: string): string {
    return createHmac("sha256", this.#key).update(payload).digest("base64").replace(/=+$/, "");
  }

  #readProfile(raw: string): ClientClaims | null {
    const value = decodeCookieValue(raw);
    if (value === null) return null;
    if (this.#profile === "unsigned") return parseClaims(Buffer.from(value, "base64").toString("utf8"));
    if (!value.startsWith("s:")) return null;
    const dot = value.lastIndexOf(".");
    if (dot < 2) return null;
    const payload = value.slice(2, dot);
    if (!safeEqual(value.slice(dot + 1), this.#cookieSignature(payload))) return null;
    return parseClaims(Buffer.from(payload, "base64url").toString("utf8"));
  }

  #signJwt(claims: ClientClaims): string {
    const iat = Math.floor(this.#now() / 1000);
    const body: Record<string, unknown> = { sub: claims.user, role: claims.role, iat };
    if (!this.#flaws.has("jwt-expiry")) body["exp"] = iat + this.#lifetime;
    const signingInput = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(body))}`;
    return `${signingInput}.${createHmac("sha256", this.#key).update(signingInput).digest("base64url")}`;
  }

  #verifyJwt(token: string): ClientClaims | null {
    const [header, payload, signature, ...rest] = token.split(".");
    if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return null;
    let alg: unknown;
    let body: Record<string, unknown>;
    try {
      alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown }).alg;
      body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    if (body === null || typeof body !== "object") return null;
    if (typeof alg === "string" && alg.toLowerCase() === "none") {
      // The classic bug: the library lets the token's own header choose "no signature".
      if (!this.#flaws.has("jwt-alg-none")) return null;
    } else if (alg === "HS256") {
      const expected = createHmac("sha256", this.#key).update(`${header}.${payload}`).digest("base64url");
      if (!safeEqual(signature, expected)) return null;
    } else {
      return null;
    }
    if (!this.#flaws.has("jwt-expiry")) {
      const exp = body["exp"];
      if (typeof exp !== "number" || exp * 1000 <= this.#now()) return null;
    }
    return parseClaims(JSON.stringify(body));
  }
}
