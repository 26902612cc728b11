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

/** `cookie-httponly`: the session cookie lacks `HttpOnly`, so scripts (and XSS payloads) can read it. */
export const cookieHttpOnly = cookieAttributeCheck(
  "cookie-httponly",
  {
    title: "Session cookie without the HttpOnly attribute",
    severity: "medium",
    cwe: [1004],
    asvs: ["3.3.4"],
    description:
      "The session cookie lacks the `HttpOnly` attribute, so any JavaScript running in the page can read it through `document.cookie`.",
    impact:
      "A single cross-site scripting flaw anywhere on the site — or a compromised third-party script — can send the session token to an attacker, who then uses the session from their own machine, long after the victim has closed the page.",
    likelihood:
      "Exploitation requires script execution in the site's origin (XSS, a malicious dependency, a browser extension). Where such an injection exists, stealing a readable cookie is a one-line payload, so this flaw turns any XSS into a session takeover.",
    recommendation:
      "Set `HttpOnly` on the session cookie; no legitimate client code needs to read it. If the front end needs a value (for example a CSRF token), deliver that separately.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { httpOnly: true, secure: true, sameSite: "lax" }, // httpOnly is the default: remove httpOnly: false
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_httponly = 1`,
      ),
      sessionguardFix(`
// The session cookie is always HttpOnly; there is no option to turn it off.
// Give client code what it needs separately, e.g. the CSRF token:
app.get("/form", (req, res) => {
  res.locals["csrfToken"] = req.session.csrfToken();
  res.render("form");
});`),
    ],
    references: refs([1004], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE, EXPRESS_SESSION, PHP_SESSION_SECURITY),
    retest: "`cookie-httponly` passes: the session cookie is set with `HttpOnly`.",
    headline: "any script injected into the site can steal the session cookie",
    action: "marking the session cookie HttpOnly",
  },
  ({ cookie }) => ({
    problem:
      cookie.httpOnly === true ? null : `the session cookie ${cookie.name} is set without the HttpOnly attribute`,
    ok: `the session cookie ${cookie.name} has the HttpOnly attribute`,
  }),
);
