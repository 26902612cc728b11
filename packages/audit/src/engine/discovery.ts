import type { AuditConfig } from "../config/load.js";
import type { HttpClient, HttpResponse } from "../http/client.js";
import { CookieJar, isDeletion, parseSetCookies } from "../http/cookie-jar.js";

/** Cookie names frameworks use for session ids, most specific first. */
const KNOWN_SESSION_COOKIES = [
  /^__Host-sid$/i,
  /^__Secure-sid$/i,
  /^PHPSESSID$/i,
  /^JSESSIONID$/i,
  /^ASP\.NET_SessionId$/i,
  /^connect\.sid$/i,
  /^laravel_session$/i,
  /^sessionid$/i,
  /^_session_id$/i,
  /^session$/i,
  /^sid$/i,
  /^(__Host-|__Secure-)?.*sess(ion)?(id)?$/i,
  /^(__Host-|__Secure-)?.*sid$/i,
];

/** What the first look at the target established. */
export interface Discovery {
  /** The session cookie's name, or `null` when the target issues none. */
  readonly sessionCookie: string | null;
  /** `config` when named in the config, `auto` when detected. */
  readonly cookieSource: "config" | "auto" | "none";
  /** The first response from the token source. */
  readonly first: HttpResponse;
  /** Every Set-Cookie line seen during discovery. */
  readonly setCookieLines: readonly string[];
}

/** Picks the session cookie among the cookies a target sets. */
export function detectSessionCookie(lines: readonly string[]): string | null {
  const cookies = parseSetCookies(lines).filter((c) => !isDeletion(c));
  if (cookies.length === 0) return null;
  for (const pattern of KNOWN_SESSION_COOKIES) {
    const hit = cookies.find((c) => pattern.test(c.name));
    if (hit !== undefined) return hit.name;
  }
  return [...cookies].sort((a, b) => b.value.length - a.value.length)[0]?.name ?? null;
}

/**
 * Fetches the token source with a fresh client, and names the session
 * cookie: from the config, else by name, else the longest value. When the
 * target issues no cookie before login, a login (if configured) shows it.
 * @throws AuditError `ERR_TARGET_UNREACHABLE` when the target does not answer
 */
export async function discover(
  config: AuditConfig,
  http: HttpClient,
  loginLines: () => Promise<readonly string[]>,
): Promise<Discovery> {
  const source = config.tokenSource;
  const first = await http.send({
    url: source.url,
    method: source.method,
    jar: new CookieJar(),
    ...(source.form === undefined ? {} : { form: source.form }),
    ...(source.json === undefined ? {} : { json: source.json }),
  });
  const lines = [...first.allSetCookies];
  const named = config.sessionCookie ?? source.cookie;
  if (named !== undefined) return { sessionCookie: named, cookieSource: "config", first, setCookieLines: lines };
  let detected = detectSessionCookie(lines);
  if (detected === null && config.login !== undefined) {
    const more = await loginLines();
    lines.push(...more);
    detected = detectSessionCookie(more);
  }
  return { sessionCookie: detected, cookieSource: detected === null ? "none" : "auto", first, setCookieLines: lines };
}
