import { cookieAttributeCheck } from "./cookie-attribute.js";
import { fix, sessionguardFix } from "./lib/fixes.js";
import {
  ASVS_V3,
  EXPRESS_SESSION,
  MDN_SET_COOKIE,
  PHP_SESSION_SECURITY,
  refs,
  WSTG_COOKIES,
} from "./lib/references.js";

/** `cookie-secure`: the session cookie lacks `Secure`, so browsers send it over plain HTTP. */
export const cookieSecure = cookieAttributeCheck(
  "cookie-secure",
  {
    title: "Session cookie without the Secure attribute",
    severity: "medium",
    cwe: [614],
    asvs: ["3.3.1"],
    description:
      "The session cookie is set without the `Secure` attribute, so the browser also sends it over plain HTTP — for example when the user follows an `http://` link, or when an attacker on the network injects a request to an `http://` URL of the site.",
    impact:
      "An attacker on the same network (public Wi-Fi, a compromised router, a malicious proxy) can capture the session token in cleartext and replay it to take over the session, even though the site itself is served over HTTPS.",
    likelihood:
      "Exploitation needs a network position between the user and the site, or the ability to make the victim's browser load any `http://` URL on the domain. This is common on public networks; with HSTS preloading the risk drops, without it the attack is reliable.",
    recommendation:
      "Set `Secure` on the session cookie (and use the `__Host-` prefix, which enforces it). Behind a TLS-terminating proxy, tell the framework to trust the proxy so that it still sets the cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.set("trust proxy", 1); // TLS terminates at the load balancer; needed for secure cookies
app.use(session({
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { secure: true, httpOnly: true, sameSite: "lax" },
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_secure = 1
session.cookie_httponly = 1
session.cookie_samesite = "Lax"`,
      ),
      sessionguardFix(`
// Secure is the default. Remove insecureDevelopmentCookie (it is refused when NODE_ENV=production);
// on localhost browsers accept Secure cookies over plain HTTP, so development needs no option.`),
    ],
    references: refs([614], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE, EXPRESS_SESSION, PHP_SESSION_SECURITY),
    retest: "`cookie-secure` passes: the session cookie is set with `Secure`.",
    headline: "the session cookie can leak over unencrypted connections",
    action: "marking the session cookie Secure",
  },
  ({ cookie }) => ({
    problem: cookie.secure === true ? null : `the session cookie ${cookie.name} is set without the Secure attribute`,
    ok: `the session cookie ${cookie.name} has the Secure attribute`,
  }),
);
