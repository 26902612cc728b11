import { cookieAttributeCheck } from "./cookie-attribute.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V3, MDN_SET_COOKIE, refs } from "./lib/references.js";

/** `cookie-prefix`: no `__Host-` / `__Secure-` prefix, so a sibling host or plain-HTTP page can plant the cookie. */
export const cookiePrefix = cookieAttributeCheck(
  "cookie-prefix",
  {
    title: "Session cookie without a __Host- prefix",
    severity: "info",
    cwe: [384],
    asvs: ["3.3.1", "3.3.3"],
    description:
      "The session cookie name has neither the `__Host-` nor the `__Secure-` prefix. Browsers only enforce the prefix rules (Secure, no Domain, Path=/) when the name carries it, so nothing stops another host or a plain-HTTP response from setting a cookie of the same name.",
    impact:
      "A sibling subdomain or a network attacker can plant a session cookie in the victim's browser (cookie tossing) and so prepare session fixation or log the victim into the attacker's account.",
    likelihood:
      "Exploitation needs a foothold on a related subdomain or a man-in-the-middle position over HTTP, and is only useful in combination with another weakness such as `fixation`; the prefix is a hardening measure.",
    recommendation:
      "Name the session cookie `__Host-…` (requires `Secure`, `Path=/` and no `Domain`); if the cookie must be shared across subdomains, use at least `__Secure-`.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  name: "__Host-sid",
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { secure: true, path: "/", httpOnly: true, sameSite: "lax" }, // no domain
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.name = __Host-PHPSESSID
session.cookie_secure = 1
session.cookie_path = /
session.cookie_domain =`,
      ),
      sessionguardOption(
        '// the default name is "__Host-sid"; keep it (cookie.name must stay a __Host- name to keep the guarantee)',
      ),
    ],
    references: refs(
      [384],
      ASVS_V3,
      MDN_SET_COOKIE,
      "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-cookie-name-prefixes",
    ),
    retest: "`cookie-prefix` passes: the session cookie name starts with `__Host-` (or `__Secure-`).",
    headline: "the session cookie can be overwritten from related subdomains",
    action: "naming the session cookie with the __Host- prefix",
  },
  ({ cookie }) => ({
    problem:
      cookie.name.startsWith("__Host-") || cookie.name.startsWith("__Secure-")
        ? null
        : `the session cookie ${cookie.name} has neither the __Host- nor the __Secure- prefix`,
    ok: `the session cookie ${cookie.name} carries the ${cookie.name.startsWith("__Host-") ? "__Host-" : "__Secure-"} prefix`,
  }),
);
