import type { FlawSet } from "./flaws.js";

/** Attributes of a `Set-Cookie` header the flawed app writes. */
export interface CookieAttributes {
  readonly path: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** Omitted when `undefined`. */
  readonly sameSite?: "Lax" | "Strict" | "None" | undefined;
  /** Omitted (host-only cookie) when `undefined`. */
  readonly domain?: string | undefined;
  /** Seconds; omitted (browser-session cookie) when `undefined`. */
  readonly maxAge?: number | undefined;
}

/** Name of the session cookie with all flaws off. */
export const SECURE_SESSION_COOKIE = "__Host-sid";

/** Attributes of cookies that carry session state, with all flaws off (SPEC L4). */
export const SECURE_ATTRIBUTES: CookieAttributes = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" };

/**
 * Name of the flawed app's session cookie: `__Host-sid`, or `sid` when a
 * planted flaw breaks a `__Host-` rule (it requires Secure, Path=/ and no
 * Domain; browsers drop a `__Host-` cookie that breaks them).
 */
export function sessionCookieName(flaws: FlawSet): string {
  return flaws.has("cookie-prefix") || flaws.has("cookie-secure") || flaws.has("cookie-scope")
    ? "sid"
    : SECURE_SESSION_COOKIE;
}

const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** Attributes of the session cookie for a request to `host` (the `Host` header). */
export function sessionCookieAttributes(flaws: FlawSet, host: string | undefined): CookieAttributes {
  const secure = !flaws.has("cookie-secure");
  let sameSite: CookieAttributes["sameSite"] = "Lax";
  // Browsers reject SameSite=None without Secure, so the insecure variant leaves the attribute out.
  if (flaws.has("cookie-samesite")) sameSite = secure ? "None" : undefined;
  return {
    path: "/",
    secure,
    httpOnly: !flaws.has("cookie-httponly"),
    sameSite,
    domain: flaws.has("cookie-scope") ? broaderDomain(host) : undefined,
    maxAge: flaws.has("cookie-persistent") ? THIRTY_DAYS : undefined,
  };
}

/**
 * The "parent domain" a legacy app configures as cookie domain, derived from
 * the request host so that cookie jars still accept it: the parent of a
 * multi-label name (`app.lab.localhost` → `lab.localhost`), the name itself
 * for a single label (`localhost`, which then covers every `*.localhost`), the
 * address itself for an IP literal (only the host-only flag changes there).
 */
export function broaderDomain(host: string | undefined): string {
  const name = hostName(host ?? "localhost");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":")) return name;
  const labels = name.split(".").filter((label) => label !== "");
  return labels.length > 1 ? labels.slice(1).join(".") : (labels[0] ?? "localhost");
}

function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") > 0 ? host.indexOf("]") : undefined);
  return (host.split(":")[0] ?? host).toLowerCase();
}

/** Serializes a `Set-Cookie` header value. The value must already be cookie-safe. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const expiry =
    attributes.maxAge === undefined
      ? []
      : [`Max-Age=${attributes.maxAge}`, `Expires=${new Date(Date.now() + attributes.maxAge * 1000).toUTCString()}`];
  return [
    `${name}=${value}`,
    `Path=${attributes.path}`,
    ...(attributes.domain === undefined ? [] : [`Domain=${attributes.domain}`]),
    ...expiry,
    ...(attributes.secure ? ["Secure"] : []),
    ...(attributes.httpOnly ? ["HttpOnly"] : []),
    ...(attributes.sameSite === undefined ? [] : [`SameSite=${attributes.sameSite}`]),
  ].join("; ");
}

/**
 * A `Set-Cookie` header value that makes the browser drop the cookie: same
 * name, path and domain as when it was set (otherwise the browser keeps it).
 */
export function clearingCookie(name: string, attributes: CookieAttributes): string {
  return serializeCookie(name, "", { ...attributes, maxAge: 0 }).replace(
    /; Expires=[^;]*/,
    "; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
  );
}

/** Parses a `Cookie` request header; the first occurrence of a name wins, as in browsers' most-specific-first order. */
export function parseCookieHeader(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? "").split(";")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name !== "" && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}
