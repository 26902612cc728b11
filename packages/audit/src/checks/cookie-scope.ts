import { cookieAttributeCheck } from "./cookie-attribute.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V3, MDN_SET_COOKIE, refs, WSTG_COOKIES } from "./lib/references.js";

/**
 * `cookie-scope`: a `Domain` attribute (any Domain makes the cookie go to
 * every subdomain too, unlike a host-only cookie), an invalid Domain, or a
 * Path that does not cover the application.
 */
export const cookieScope = cookieAttributeCheck(
  "cookie-scope",
  {
    title: "Session cookie scope too broad",
    severity: "low",
    cwe: [668],
    asvs: ["3.3.3"],
    description:
      "The session cookie's `Domain` attribute is broader than the host that sets it (for example `.example.com` for `app.example.com`), is invalid, or its `Path` exposes it more widely than needed. Every host in that scope receives the cookie.",
    impact:
      "Any other application on a sibling subdomain — a marketing site, a legacy system, a user-content host — receives the session token and can leak or abuse it; a compromised or attacker-controlled subdomain can also overwrite it to fix a session.",
    likelihood:
      "Exploitation requires control of, or an XSS in, another host within the cookie's domain. Large organisations often run many subdomains of varying security, which makes this plausible.",
    recommendation:
      "Do not set `Domain` on the session cookie, so it stays host-only, keep `Path=/`, and use the `__Host-` prefix so browsers enforce both.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  name: "__Host-sid",
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { path: "/", secure: true, httpOnly: true, sameSite: "lax" }, // no domain: host-only
}));`,
      ),
      fix(
        "php",
        `
; php.ini — empty domain means host-only
session.cookie_domain =
session.cookie_path = /`,
      ),
      sessionguardOption("// host-only by default; cookie.domain is refused with the default __Host- name"),
    ],
    references: refs([668], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE),
    retest: "`cookie-scope` passes: the session cookie is host-only with `Path=/`.",
    headline: "other sites on the same domain receive the session cookie",
    action: "limiting the session cookie to the application's own host",
  },
  ({ cookie }, context) => {
    const host = context.config.target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const domain = cookie.domain?.replace(/^\./, "").toLowerCase();
    let problem: string | null = null;
    let variant = "domain-set";
    if (domain !== undefined && domain !== "") {
      if (domain !== host && !host.endsWith(`.${domain}`)) {
        problem = `the session cookie ${cookie.name} names Domain=${cookie.domain}, which does not match the host ${host} (invalid scope)`;
        variant = "domain-mismatch";
      } else if (domain !== host) {
        problem = `the session cookie ${cookie.name} is scoped to the parent domain ${cookie.domain}: every host under it receives the session`;
        variant = "parent-domain";
      } else {
        problem = `the session cookie ${cookie.name} sets Domain=${cookie.domain}: unlike a host-only cookie it is also sent to every subdomain of ${host}`;
      }
    }
    return {
      problem,
      variant,
      args: { domain: cookie.domain ?? null, host },
      ok: `the session cookie ${cookie.name} is host-only (no Domain attribute), Path=${cookie.path ?? "/"}`,
    };
  },
);
