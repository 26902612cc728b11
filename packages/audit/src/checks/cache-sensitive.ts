import { header } from "../http/client.js";
import { curl } from "./lib/curl.js";
import { fix } from "./lib/fixes.js";
import { ASVS_V14, refs } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `cache-sensitive`: authenticated responses may be stored by browsers or shared caches. */
export const cacheSensitive = defineCheck({
  id: "cache-sensitive",
  phase: "passive",
  catalogue: {
    title: "Authenticated responses are cacheable",
    severity: "low",
    cwe: [525],
    asvs: ["14.3.2", "14.2.2"],
    description:
      "Responses to authenticated requests carry no `Cache-Control: no-store` (or `private`) directive, so the browser — and possibly shared proxies or CDNs — may store them.",
    impact:
      "Personal pages can be read from the browser cache after logout on shared computers, or served by a shared cache to other users. Cached responses carrying `Set-Cookie` can even hand one user's session to another.",
    likelihood:
      "Exploitation needs access to a shared device after the victim, or a misconfigured shared cache in front of the application; both are occasional rather than routine.",
    recommendation:
      "Send `Cache-Control: no-store` on every authenticated response and on every response that sets a session cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.use((req, res, next) => {
  if (req.session.userId !== undefined) res.setHeader("Cache-Control", "no-store");
  next();
});`,
      ),
      fix(
        "php",
        `
; php.ini — "nocache" is the default; never "public" or "private_no_expire" for logged-in pages
session.cache_limiter = nocache
// or explicitly, after session_start():
header('Cache-Control: no-store');`,
      ),
      fix(
        "sessionguard",
        `
// Responses that set the cookie already carry Cache-Control: no-store; add it for authenticated pages:
app.use((req, res, next) => {
  if (req.session.isAuthenticated) res.setHeader("Cache-Control", "no-store");
  next();
});`,
      ),
    ],
    references: refs(
      [525],
      ASVS_V14,
      "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/04-Authentication_Testing/06-Testing_for_Browser_Cache_Weaknesses",
    ),
    retest: "`cache-sensitive` passes: authenticated responses carry `Cache-Control: no-store`.",
    headline: "private pages can be stored in browser or shared caches",
    action: "marking authenticated responses as not cacheable",
  },
  async run(context) {
    const skip = needLogin(context, "checking the caching of authenticated pages");
    if (skip !== null) return skip;
    const baseline = context.baseline;
    if (baseline === null) return outcome.skipped("no login");
    let { state, response } = await context.auth.probe(baseline.jar);
    if (state !== "authenticated") {
      // The scan lost its session (idle timeout, throttling): log in again once.
      ({ state, response } = await context.auth.probe((await context.auth.loginVerified()).jar));
    }
    if (state !== "authenticated")
      return outcome.inconclusive("the authenticated page could not be fetched with a live session");
    const cacheControl = header(response, "cache-control")?.toLowerCase() ?? "";
    if (/\bno-store\b/.test(cacheControl) || /\bprivate\b/.test(cacheControl)) {
      return outcome.passed(
        `the authenticated page ${context.config.authCheck?.url} sends Cache-Control: ${cacheControl}`,
      );
    }
    return outcome.vulnerable(
      `the authenticated page ${context.config.authCheck?.url} is cacheable: ${cacheControl === "" ? "no Cache-Control header" : `Cache-Control: ${cacheControl}`}`,
      {
        variant: "cacheable",
        args: { url: context.config.authCheck?.url ?? null, cacheControl: cacheControl === "" ? null : cacheControl },
        confidence: "firm",
        evidence: [
          `GET ${response.url} → ${response.status}`,
          `Cache-Control: ${cacheControl || "(absent)"}`,
          `Pragma: ${header(response, "pragma") ?? "(absent)"}`,
        ],
        reproduce: [
          `${curl(response.url, { cookie: `${context.discovery.sessionCookie}=<SESSION_TOKEN>` })} | grep -i cache-control`,
        ],
      },
    );
  },
});
