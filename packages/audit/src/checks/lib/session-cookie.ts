import type { Cookie } from "set-cookie-parser";
import type { AuditContext } from "../../engine/context.js";
import { isDeletion, parseSetCookies } from "../../http/cookie-jar.js";

/** The Set-Cookie line that set the session cookie, and its parsed form. */
export interface SessionCookieLine {
  readonly line: string;
  readonly cookie: Cookie;
  /** Where it was seen. */
  readonly where: string;
}

/**
 * The most telling Set-Cookie line of the session cookie: the one issued at
 * login (an authenticated session) when there was a login, else the first
 * one issued to an anonymous client. Deletion lines are skipped.
 */
export function sessionCookieLine(context: AuditContext): SessionCookieLine | null {
  const name = context.discovery.sessionCookie;
  if (name === null) return null;
  const baseline = context.baseline;
  const sources: Array<[string, readonly string[]]> = [];
  if (baseline !== null)
    sources.push([`the login response (${context.config.login?.url})`, baseline.response.allSetCookies]);
  sources.push([`the response of ${context.config.tokenSource.url}`, context.discovery.setCookieLines]);
  for (const [where, lines] of sources) {
    for (const line of [...lines].reverse()) {
      const [cookie] = parseSetCookies([line]);
      if (cookie !== undefined && cookie.name === name && !isDeletion(cookie)) return { line, cookie, where };
    }
  }
  return null;
}
