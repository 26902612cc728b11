import { formatDuration } from "../config/duration.js";
import { cookieAttributeCheck } from "./cookie-attribute.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V7, refs, WSTG_COOKIES } from "./lib/references.js";

/** `cookie-persistent`: the session cookie is stored on disk for longer than `policy.maxIdle`. */
export const cookiePersistent = cookieAttributeCheck(
  "cookie-persistent",
  {
    title: "Persistent session cookie",
    severity: "low",
    cwe: [539],
    asvs: ["7.3.1"],
    description:
      "The session cookie carries `Expires` or `Max-Age` longer than the idle policy, so the browser writes it to disk and keeps sending it after the browser is closed.",
    impact:
      "On shared or stolen computers the next person opening the browser continues the previous user's session, and the token can be copied from the profile on disk by malware or backups.",
    likelihood:
      "Exploitation requires access to the user's device or browser profile — shared workstations, kiosks, lost laptops, malware — which is common for some audiences (public terminals, family devices) and rare for others.",
    recommendation:
      "Issue the session cookie without `Expires`/`Max-Age` (a browser-session cookie), or with a lifetime no longer than the idle timeout, and enforce expiry on the server independently of the cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  secret: process.env.SESSION_SECRET,
  store: new RedisStore({ client, ttl: 30 * 60 }), // server-side expiry (seconds)
  cookie: { maxAge: undefined, secure: true, httpOnly: true, sameSite: "lax" }, // no maxAge: browser-session cookie
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_lifetime = 0   ; browser-session cookie
session.gc_maxlifetime = 1800`,
      ),
      sessionguardOption(
        "cookie: { persistent: false }, // the default; with true, Max-Age never exceeds the idle/absolute deadline",
      ),
    ],
    references: refs([539], ASVS_V7, WSTG_COOKIES),
    retest: "`cookie-persistent` passes: the session cookie has no lifetime beyond `policy.maxIdle`.",
    headline: "sessions survive on disk after the browser is closed",
    action: "issuing browser-session cookies with server-side expiry",
  },
  ({ cookie }, context) => {
    const maxIdle = context.config.policy.maxIdleMs;
    let lifetime: number | undefined;
    if (cookie.maxAge !== undefined) lifetime = cookie.maxAge * 1000;
    else if (cookie.expires !== undefined) lifetime = cookie.expires.getTime() - Date.now();
    const problem =
      lifetime !== undefined && lifetime > maxIdle
        ? `the session cookie ${cookie.name} persists for ${formatDuration(lifetime)}, longer than the idle limit of ${formatDuration(maxIdle)}`
        : null;
    return {
      problem,
      variant: "outlives-idle",
      args: { lifetimeMs: lifetime ?? null, maxIdleMs: maxIdle },
      ok:
        lifetime === undefined
          ? `the session cookie ${cookie.name} is a browser-session cookie (no Max-Age or Expires)`
          : `the session cookie ${cookie.name} lives ${formatDuration(lifetime)}, within the idle limit`,
    };
  },
);
