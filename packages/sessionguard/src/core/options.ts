import type { Clock } from "./clock.js";
import { systemClock } from "./clock.js";
import type { CookieSettings } from "./cookie.js";
import { type Duration, parseDuration } from "./duration.js";
import { SessionError } from "./errors.js";
import type { GuessGuardSettings } from "./guess-guard.js";
import { type KeyInput, type LoadedKeyRing, prepareKeyRing } from "./key-ring.js";
import type { SessionLimit, SessionLimitPolicy, SessionStore } from "./store.js";
import { cryptoRandom, type RandomSource } from "./token.js";

/** Cookie options. Every default is the most restrictive setting browsers support. */
export interface CookieOptions {
  /**
   * Cookie name. Default `"__Host-sid"`: the `__Host-` prefix makes browsers
   * refuse the cookie unless it is `Secure`, has `Path=/` and no `Domain`, so a
   * sibling subdomain cannot plant or overwrite it (cookie tossing, fixation).
   */
  readonly name?: string;
  /** Default `"lax"`: not sent on cross-site subrequests or cross-site POSTs (CSRF). `"none"` needs `Secure`. */
  readonly sameSite?: "lax" | "strict" | "none";
  /** Default `"/"`. Must be `"/"` with a `__Host-` name. */
  readonly path?: string;
  /** Default none (host-only). Setting it widens who receives the cookie; not allowed with `__Host-`. */
  readonly domain?: string;
  /**
   * Default `false`: a browser-session cookie with no lifetime, so nothing
   * stays on disk. `true` sets `Max-Age` to the time left before the idle or
   * absolute deadline (whichever is first), refreshed on activity.
   */
  readonly persistent?: boolean;
}

/** Periodic token rotation (SPEC L6). */
export interface RotationOptions {
  /** Issue a new token when the current one is older than this. */
  readonly interval: Duration;
  /** How long the replaced token keeps working for requests already in flight. Default `"30s"`. */
  readonly grace?: Duration;
}

/** Binding checks (SPEC L13): a session that changes client mid-life may have been stolen. */
export interface BindingOptions {
  /** Compare the User-Agent with the one seen at login. Default `true`. */
  readonly userAgent?: boolean;
  /** Compare the client's network (IPv4 /24, IPv6 /48). Default `false` (mobile clients change networks). */
  readonly ipNetwork?: boolean;
  /** `"log"` (default) emits `anomaly`; `"revoke"` also ends the session. */
  readonly action?: "log" | "revoke";
}

/** Options of {@link SessionManager}. Durations are milliseconds or strings like `"30m"`. */
export interface SessionManagerOptions {
  /** Where sessions live: `memoryStore()`, `sqliteStore({ path })`, or a Redis/PostgreSQL store. Required. */
  readonly store: SessionStore;
  /**
   * Encryption key ring `[current, ...previous]`, each 32 random bytes
   * (base64url, hex or `Uint8Array`). Only the first encrypts; all decrypt,
   * so adding a new key in front rotates keys without logging anybody out.
   * Required; `undefined` entries (an unset environment variable) are refused
   * at construction with a message saying so.
   */
  readonly keys: readonly (KeyInput | undefined)[];
  readonly cookie?: CookieOptions;
  /** Idle timeout (ASVS 7.3.1). Default `"30m"`. */
  readonly idleTimeout?: Duration;
  /** Absolute timeout from login or creation (ASVS 7.3.2). Default `"12h"`. */
  readonly absoluteTimeout?: Duration;
  /**
   * Minimum time between activity writes. Default: the smaller of 60 s and a
   * tenth of the idle timeout. A session can therefore expire up to this much
   * *earlier* than the idle timeout, never later.
   */
  readonly touchInterval?: Duration;
  /** Periodic rotation; default off (tokens still rotate on login, privilege change and logout). */
  readonly rotation?: RotationOptions | false;
  /** Maximum concurrent sessions per user (SPEC L10); default unlimited. */
  readonly maxSessionsPerUser?: number;
  /** What happens at the limit: `"evict-oldest"` (default) or `"reject"` (login fails with `ERR_SESSION_LIMIT`). */
  readonly sessionLimitPolicy?: SessionLimitPolicy;
  /** Binding checks; default off. `true` means `{ userAgent: true, action: "log" }`. */
  readonly binding?: BindingOptions | boolean;
  /**
   * Cross-site request protection for unsafe methods (SPEC L14). Default on;
   * adapters answer 403 to a failing request. `trustedOrigins` lists origins
   * allowed to post cross-site.
   */
  readonly csrf?: { readonly trustedOrigins?: readonly string[] } | false;
  /**
   * Limit on invalid session tokens per client IP (session-id guessing). Off
   * by default: behind a proxy without trusted client IPs every user shares
   * one address, and a limit there lets an attacker lock everyone out. Turn
   * it on where adapters see real client IPs. `true` means
   * `{ max: 20, window: "1m", block: "5m" }`; a blocked client's requests
   * that carry a session cookie are answered 429.
   */
  readonly guessingLimit?: { readonly max?: number; readonly window?: Duration; readonly block?: Duration } | boolean;
  /** Send `Clear-Site-Data: "cookies"` on logout. Default `false`. */
  readonly clearSiteData?: boolean;
  /** Largest serialised session data in bytes. Default 65 536. */
  readonly maxDataBytes?: number;
  /**
   * Plain-HTTP development on a non-loopback host: drops `Secure` and the
   * `__Host-` prefix (name `sid`). Refused when `NODE_ENV=production`. Not
   * needed on `localhost`, where browsers accept `Secure` cookies over HTTP.
   */
  readonly insecureDevelopmentCookie?: boolean;
  /** Time source in milliseconds; inject for tests. Default `Date.now`. */
  readonly clock?: Clock;
  /** Randomness for tokens; inject only for tests. Default WebCrypto `getRandomValues`. */
  readonly random?: RandomSource;
}

/** Options after validation and defaulting. */
export interface ResolvedOptions {
  readonly store: SessionStore;
  readonly keyRing: () => Promise<LoadedKeyRing>;
  readonly cookie: CookieSettings;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly touchInterval: number;
  readonly rotation: { readonly interval: number; readonly grace: number } | null;
  readonly limit: SessionLimit | null;
  readonly binding: {
    readonly userAgent: boolean;
    readonly ipNetwork: boolean;
    readonly action: "log" | "revoke";
  } | null;
  readonly csrf: { readonly trustedOrigins: ReadonlySet<string> } | null;
  readonly guessingLimit: GuessGuardSettings | null;
  readonly clearSiteData: boolean;
  readonly maxDataBytes: number;
  readonly clock: Clock;
  readonly random: RandomSource;
}

const STORE_METHODS = ["get", "create", "update", "delete", "listByUser", "deleteByUser"] as const;

function fail(message: string): never {
  throw new SessionError("ERR_CONFIG", message);
}

function isProduction(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === "production";
}

/**
 * Validates options at construction (SPEC L15).
 * @throws SessionError `ERR_CONFIG`, `ERR_WEAK_KEY` or `ERR_INSECURE_COOKIE`; the message says what to change
 */
export function resolveOptions(options: SessionManagerOptions): ResolvedOptions {
  if (options === null || typeof options !== "object") fail("options are required: { store, keys }");
  const { store } = options;
  if (store === null || typeof store !== "object" || STORE_METHODS.some((m) => typeof store[m] !== "function")) {
    fail(
      "store is required: pass memoryStore() for tests, sqliteStore({ path }) for one machine, or a Redis/PostgreSQL store for several",
    );
  }
  const keyRing = prepareKeyRing(options.keys);

  const idleTimeout = parseDuration(options.idleTimeout ?? "30m", "idleTimeout");
  const absoluteTimeout = parseDuration(options.absoluteTimeout ?? "12h", "absoluteTimeout");
  if (idleTimeout > absoluteTimeout) {
    fail("idleTimeout must not be longer than absoluteTimeout: shorten idleTimeout or lengthen absoluteTimeout");
  }
  const touchInterval =
    options.touchInterval === undefined
      ? Math.min(60_000, Math.floor(idleTimeout / 10))
      : parseDuration(options.touchInterval, "touchInterval");
  if (touchInterval >= idleTimeout) fail("touchInterval must be shorter than idleTimeout");

  let rotation: ResolvedOptions["rotation"] = null;
  if (options.rotation !== undefined && options.rotation !== false) {
    const interval = parseDuration(options.rotation.interval, "rotation.interval");
    const grace = parseDuration(options.rotation.grace ?? "30s", "rotation.grace");
    if (grace > 5 * 60_000) fail("rotation.grace must be 5 minutes or less: a long grace keeps stolen tokens alive");
    rotation = { interval, grace };
  }

  let limit: SessionLimit | null = null;
  if (options.maxSessionsPerUser !== undefined) {
    const max = options.maxSessionsPerUser;
    if (!Number.isInteger(max) || max < 1) fail("maxSessionsPerUser must be a whole number of at least 1");
    const policy = options.sessionLimitPolicy ?? "evict-oldest";
    if (policy !== "evict-oldest" && policy !== "reject") {
      fail('sessionLimitPolicy must be "evict-oldest" or "reject"');
    }
    limit = { max, policy };
  } else if (options.sessionLimitPolicy !== undefined) {
    fail("sessionLimitPolicy needs maxSessionsPerUser");
  }

  let binding: ResolvedOptions["binding"] = null;
  if (options.binding !== undefined && options.binding !== false) {
    const b = options.binding === true ? {} : options.binding;
    const action = b.action ?? "log";
    if (action !== "log" && action !== "revoke") fail('binding.action must be "log" or "revoke"');
    binding = { userAgent: b.userAgent ?? true, ipNetwork: b.ipNetwork ?? false, action };
  }

  let csrf: ResolvedOptions["csrf"] = null;
  if (options.csrf !== false) {
    const origins = options.csrf?.trustedOrigins ?? [];
    for (const origin of origins) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || parsed.origin !== origin) {
        fail(`csrf.trustedOrigins entries must be origins like "https://app.example.com" (got an invalid entry)`);
      }
    }
    csrf = { trustedOrigins: new Set(origins) };
  }

  let guessingLimit: GuessGuardSettings | null = null;
  if (options.guessingLimit !== undefined && options.guessingLimit !== false) {
    const g = options.guessingLimit === true ? {} : options.guessingLimit;
    const max = g.max ?? 20;
    if (!Number.isInteger(max) || max < 1) fail("guessingLimit.max must be a whole number of at least 1");
    guessingLimit = {
      max,
      window: parseDuration(g.window ?? "1m", "guessingLimit.window"),
      block: parseDuration(g.block ?? "5m", "guessingLimit.block"),
    };
  }

  const maxDataBytes = options.maxDataBytes ?? 65_536;
  if (!Number.isInteger(maxDataBytes) || maxDataBytes < 1024)
    fail("maxDataBytes must be a whole number of at least 1024");

  return {
    store,
    keyRing,
    cookie: resolveCookie(options),
    idleTimeout,
    absoluteTimeout,
    touchInterval,
    rotation,
    limit,
    binding,
    csrf,
    guessingLimit,
    clearSiteData: options.clearSiteData ?? false,
    maxDataBytes,
    clock: options.clock ?? systemClock,
    random: options.random ?? cryptoRandom,
  };
}

function resolveCookie(options: SessionManagerOptions): CookieSettings {
  const c = options.cookie ?? {};
  const insecure = options.insecureDevelopmentCookie === true;
  if (insecure && isProduction()) {
    throw new SessionError(
      "ERR_INSECURE_COOKIE",
      "insecureDevelopmentCookie is refused when NODE_ENV=production: serve the app over HTTPS and remove the option",
    );
  }
  const name = c.name ?? (insecure ? "sid" : "__Host-sid");
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) fail("cookie.name must be a valid cookie name (RFC 6265 token)");
  const sameSite = c.sameSite ?? "lax";
  if (!["lax", "strict", "none"].includes(sameSite)) fail('cookie.sameSite must be "lax", "strict" or "none"');
  const path = c.path ?? "/";
  if (!path.startsWith("/")) fail('cookie.path must start with "/"');
  if (insecure && name.startsWith("__")) {
    fail("insecureDevelopmentCookie cannot use a __Host- or __Secure- cookie name: those require Secure");
  }
  if (insecure && sameSite === "none")
    fail('cookie.sameSite "none" requires Secure; use "lax" with insecureDevelopmentCookie');
  if (name.startsWith("__Host-")) {
    if (c.domain !== undefined)
      fail("cookie.domain is not allowed with a __Host- cookie name: remove domain or rename the cookie");
    if (path !== "/") fail('cookie.path must be "/" with a __Host- cookie name');
  }
  if (c.domain !== undefined && !/^\.?[A-Za-z0-9.-]+$/.test(c.domain)) fail("cookie.domain must be a host name");
  return {
    name,
    secure: !insecure,
    httpOnly: true,
    sameSite,
    path,
    ...(c.domain === undefined ? {} : { domain: c.domain }),
    persistent: c.persistent ?? false,
  };
}
