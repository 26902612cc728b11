import { cookieAttributeCheck } from "./cookie-attribute.js";

/**
 * `cookie-scope`: a `Domain` attribute (any Domain makes the cookie go to
 * every subdomain too, unlike a host-only cookie), an invalid Domain, or a
 * Path that does not cover the application.
 */
export const cookieScope = cookieAttributeCheck("cookie-scope", ({ cookie }, context) => {
  const host = context.config.target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const domain = cookie.domain?.replace(/^\./, "").toLowerCase();
  let problem: string | null = null;
  if (domain !== undefined && domain !== "") {
    if (domain !== host && !host.endsWith(`.${domain}`)) {
      problem = `the session cookie ${cookie.name} names Domain=${cookie.domain}, which does not match the host ${host} (invalid scope)`;
    } else if (domain !== host) {
      problem = `the session cookie ${cookie.name} is scoped to the parent domain ${cookie.domain}: every host under it receives the session`;
    } else {
      problem = `the session cookie ${cookie.name} sets Domain=${cookie.domain}: unlike a host-only cookie it is also sent to every subdomain of ${host}`;
    }
  }
  return {
    problem,
    ok: `the session cookie ${cookie.name} is host-only (no Domain attribute), Path=${cookie.path ?? "/"}`,
  };
});
