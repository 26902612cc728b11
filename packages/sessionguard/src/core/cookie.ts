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
