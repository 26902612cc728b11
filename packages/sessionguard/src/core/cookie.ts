import { serialize } from "cookie";

/** Cookie settings after validation. */
export interface CookieSettings {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: true;
  readonly sameSite: "lax" | "strict" | "none";
  readonly path: string;
  readonly domain?: string;
  /** Persistent cookies carry `Max-Age`; browser-session cookies (default) carry none. */
  readonly persistent: boolean;
}

/** `Set-Cookie` value that delivers a token. `maxAge` in milliseconds, used only for persistent cookies. */
export function tokenCookie(settings: CookieSettings, token: string, maxAge: number): string {
  return serialize(settings.name, token, {
    secure: settings.secure,
    httpOnly: true,
    sameSite: settings.sameSite,
    path: settings.path,
    ...(settings.domain === undefined ? {} : { domain: settings.domain }),
    ...(settings.persistent ? { maxAge: Math.max(0, Math.floor(maxAge / 1000)) } : {}),
  });
}

/** `Set-Cookie` value that makes the browser drop the session cookie. */
export function clearingCookie(settings: CookieSettings): string {
  return serialize(settings.name, "", {
    secure: settings.secure,
    httpOnly: true,
    sameSite: settings.sameSite,
    path: settings.path,
    ...(settings.domain === undefined ? {} : { domain: settings.domain }),
    maxAge: 0,
    expires: new Date(0),
  });
}

/**
 * The raw value of cookie `name` in a `Cookie` request header, or `undefined`
 * when absent or empty. The name must match exactly (`__Host-sid ` with a
 * trailing space is another cookie) and the value is returned as sent, never
 * percent-decoded: browsers send the value the server set byte for byte
 * (RFC 6265 §5.4), so `%41…` or a padded name is not a cookie this library
 * issued. Only the spaces around a pair are ignored (`; ` separators). The
 * first occurrence wins, as in the `cookie` package.
 */
export function readCookieValue(header: string | null | undefined, name: string): string | undefined {
  if (typeof header !== "string" || header.length === 0) return undefined;
  for (const part of header.split(";")) {
    const pair = part.replace(/^[ \t]+|[ \t]+$/g, "");
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq) !== name) continue;
    const value = pair.slice(eq + 1);
    return value === "" ? undefined : value;
  }
  return undefined;
}
