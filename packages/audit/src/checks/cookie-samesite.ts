import { cookieAttributeCheck } from "./cookie-attribute.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V3, refs, WSTG_COOKIES } from "./lib/references.js";

/** `cookie-samesite`: `SameSite` missing, invalid or `None`. */
export const cookieSameSite = cookieAttributeCheck(
  "cookie-samesite",
  {
    title: "Session cookie without a restrictive SameSite attribute",
    severity: "low",
    cwe: [1275],
    asvs: ["3.3.2"],
    description:
      "The session cookie has no `SameSite` attribute, an invalid value, or `SameSite=None`. Browsers may then attach it to requests that other sites trigger, such as cross-site form posts.",
    impact:
      "Another website can make the victim's browser perform authenticated actions (change e-mail, transfer funds, post content) with the victim's session — cross-site request forgery — unless every state-changing endpoint has its own CSRF protection.",
    likelihood:
      "Exploitation requires the victim to visit an attacker-controlled page while logged in and an endpoint without another CSRF defence. Modern browsers default to `Lax` when the attribute is missing, which lowers the likelihood, but `None` or older browsers leave it open.",
    recommendation:
      "Set `SameSite=Lax` (or `Strict` where cross-site navigation into a logged-in state is not needed), and keep origin checks or synchronizer tokens on state-changing requests as defence in depth.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({ secret: process.env.SESSION_SECRET, store, cookie: { sameSite: "lax", secure: true, httpOnly: true } }));`,
      ),
      fix(
        "php",
        `
; php.ini (PHP >= 7.3)
session.cookie_samesite = "Lax"`,
      ),
      sessionguardOption('cookie: { sameSite: "lax" }, // the default; "strict" if no cross-site entry is needed'),
    ],
    references: refs(
      [1275],
      ASVS_V3,
      WSTG_COOKIES,
      "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    retest: "`cookie-samesite` passes: the session cookie is set with `SameSite=Lax` or `Strict`.",
    headline: "other websites can trigger actions with a logged-in user's session",
    action: "setting SameSite=Lax on the session cookie",
  },
  ({ cookie }) => {
    const value = cookie.sameSite?.toLowerCase();
    let problem: string | null = null;
    let variant = "missing";
    if (value === undefined) problem = `the session cookie ${cookie.name} has no SameSite attribute`;
    else if (value === "none") {
      problem = `the session cookie ${cookie.name} is SameSite=None: browsers send it on cross-site requests`;
      variant = "none";
    } else if (value !== "lax" && value !== "strict") {
      problem = `the session cookie ${cookie.name} has an invalid SameSite value`;
      variant = "invalid";
    }
    return {
      problem,
      variant,
      args: { sameSite: cookie.sameSite ?? null },
      ok: `the session cookie ${cookie.name} is SameSite=${cookie.sameSite}`,
    };
  },
);
