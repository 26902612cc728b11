import { isLoopbackHost } from "../http/loopback.js";
import { curl } from "./lib/curl.js";
import { fix, NGINX_HTTPS, sessionguardFix } from "./lib/fixes.js";
import { ASVS_V12, CS_TLS, refs, WSTG_EXPOSED } from "./lib/references.js";
import { needSessionCookie } from "./lib/require.js";
import { sessionCookieLine } from "./lib/session-cookie.js";
import { defineCheck, outcome } from "./types.js";

/** `transport-cleartext`: the session token is issued or accepted over plain HTTP on a non-loopback origin. */
export const transportCleartext = defineCheck({
  id: "transport-cleartext",
  phase: "passive",
  catalogue: {
    title: "Session token sent over cleartext HTTP",
    severity: "high",
    cwe: [319],
    asvs: ["12.2.1", "3.3.1"],
    description:
      "The session token is issued or accepted over plain HTTP on a non-loopback origin. Every request and response carrying it crosses the network unencrypted.",
    impact:
      "Anyone who can observe the traffic — on the same Wi-Fi, at an ISP, in a compromised network device — reads the token and the credentials sent at login, and can take over the session or the account.",
    likelihood:
      "Passive eavesdropping needs only a position on the network path and freely available tools; on public or shared networks this is easy and undetectable.",
    recommendation:
      "Serve the whole application over HTTPS, redirect HTTP to HTTPS before any session is created, set `Secure` on the session cookie and enable HSTS.",
    fixes: [
      fix(
        "express-session",
        `
app.set("trust proxy", 1);
// Redirect before the session middleware, so no cookie is ever issued over HTTP.
app.use((req, res, next) => (req.secure ? next() : res.redirect(308, "https://app.example.com" + req.originalUrl)));
app.use(session({ secret: process.env.SESSION_SECRET, store, cookie: { secure: true, httpOnly: true, sameSite: "lax" } }));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_secure = 1
// before session_start(): a fixed host, never $_SERVER['HTTP_HOST'] (open redirect)
if (empty($_SERVER['HTTPS']) || $_SERVER['HTTPS'] === 'off') {
    header('Location: https://app.example.com' . $_SERVER['REQUEST_URI'], true, 308);
    exit;
}`,
      ),
      sessionguardFix(`
// Secure cookies are the default and the insecure development option is refused in production.
// Serve over HTTPS (or behind a TLS proxy) and redirect HTTP before expressSessions() runs.`),
      NGINX_HTTPS,
    ],
    references: refs([319], ASVS_V12, CS_TLS, WSTG_EXPOSED),
    retest: "`transport-cleartext` passes: no session token is issued or accepted over plain HTTP.",
    headline: "session tokens travel unencrypted and can be read on the network",
    action: "serving every session over HTTPS only",
  },
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const target = context.config.target;
    if (target.protocol === "https:") {
      return outcome.passed("the target is served over HTTPS; the session token is issued over TLS");
    }
    if (isLoopbackHost(target.hostname)) {
      return outcome.notApplicable(
        "the target is a loopback origin, which browsers treat as a secure context; audit the deployed HTTPS origin for this check",
      );
    }
    if (sessionCookieLine(context) === null) {
      return outcome.inconclusive(
        `no Set-Cookie for ${context.discovery.sessionCookie} was received over plain HTTP (the target may only redirect to HTTPS); audit the HTTPS origin`,
      );
    }
    return outcome.vulnerable(
      `the session cookie ${context.discovery.sessionCookie} is issued over plain HTTP at ${target.origin}: anyone on the network path can read it`,
      {
        variant: "issued-over-http",
        args: { origin: target.origin, cookie: context.discovery.sessionCookie },
        confidence: "confirmed",
        evidence: [
          `${target.origin}${context.config.tokenSource.url} answered over http:// with a Set-Cookie for ${context.discovery.sessionCookie}`,
        ],
        reproduce: [`${curl(new URL(context.config.tokenSource.url, target).href)} | grep -i '^set-cookie'`],
      },
    );
  },
});
