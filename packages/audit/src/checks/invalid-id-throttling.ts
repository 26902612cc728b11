import { CookieJar } from "../http/cookie-jar.js";
import { curl } from "./lib/curl.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V2, refs } from "./lib/references.js";
import { needSessionCookie } from "./lib/require.js";
import { lookalikeToken } from "./lib/token-shape.js";
import { defineCheck, outcome } from "./types.js";

/** Invalid ids sent; enough to trip any sane limit, bounded so the probe stays polite. */
export const INVALID_ID_PROBES = 60;

/**
 * `invalid-id-throttling`: many invalid session ids from one client are
 * neither throttled nor blocked (guessing goes unchecked). Runs last: a
 * working throttle may block this client for a while.
 */
export const invalidIdThrottling = defineCheck({
  id: "invalid-id-throttling",
  phase: "noisy",
  catalogue: {
    title: "No throttling of invalid session ids",
    severity: "low",
    cwe: [307, 799],
    asvs: ["2.4.1"],
    description:
      "The auditor sent many invalid session ids from one client and was neither slowed down nor blocked. Nothing limits how fast an attacker can try candidate tokens.",
    impact:
      "Unlimited guessing turns any weakness in token generation (short, low-entropy or predictable tokens) into a practical session takeover, and the guessing traffic goes unnoticed.",
    likelihood:
      "On its own this is a missing safeguard: with 128-bit random tokens guessing remains infeasible. Combined with weak tokens it decides whether an attack takes hours or centuries.",
    recommendation:
      "Count requests that present unknown or malformed session ids per client (IP, network, fingerprint), slow down or block clients above a threshold, and alert on the pattern; rate-limit at the edge as well.",
    fixes: [
      fix(
        "express-session",
        `
import { rateLimit } from "express-rate-limit";

// After session(): count requests whose session cookie named no stored session.
app.use(rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 50,
  skip: (req) => !/(?:^|;\\s*)__Host-sid=/.test(req.headers.cookie ?? "") || req.session.userId !== undefined,
}));`,
      ),
      fix(
        "php",
        `
// With session.use_strict_mode = 1, PHP replaces an unknown id: count those per client (APCu)
$presented = $_COOKIE[session_name()] ?? null;
session_start();
if ($presented !== null && $presented !== session_id()) {
    $n = apcu_inc('bad-sid:' . $_SERVER['REMOTE_ADDR'], 1, $ok, 900);
    if ($n > 50) { http_response_code(429); exit; }
}`,
      ),
      sessionguardOption(
        `// Off by default (behind a proxy without real client IPs everyone shares one address);
// a client presenting more than 20 unknown tokens in a minute is answered 429 for 5 minutes.
guessingLimit: { max: 20, window: "1m", block: "5m" },`,
        `// Every unknown or malformed token also emits a "rejected" event for monitoring;
// "sessionguard logs" reports clients presenting many invalid ids from the JSON-lines events.`,
      ),
    ],
    references: refs(
      [307, 799],
      ASVS_V2,
      "https://cheatsheetseries.owasp.org/cheatsheets/Bot_Management_and_Anti-Automation_Cheat_Sheet.html",
    ),
    retest: "`invalid-id-throttling` passes: a burst of invalid session ids is slowed down or blocked (429/403).",
    headline: "attackers can try session ids at full speed without being noticed",
    action: "throttling clients that present invalid session ids",
  },
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const name = context.discovery.sessionCookie as string;
    const sample = context.baseline?.postLoginToken;
    const url = context.config.authCheck?.url ?? context.config.tokenSource.url;
    const started = Date.now();
    const statuses = new Map<number, number>();
    let first: number | undefined;
    for (let i = 0; i < INVALID_ID_PROBES; i++) {
      const jar = new CookieJar();
      jar.set(name, lookalikeToken(sample));
      let status: number;
      try {
        status = (await context.http.send({ url, jar, followRedirects: false })).status;
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_TARGET_UNREACHABLE" || i === 0) throw error;
        return outcome.passed(
          `after ${i + 1} requests with invalid session ids the server stopped answering this client`,
        );
      }
      first ??= status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // A block shows as a change of answer: 429/503, or 403 where anonymous requests were answered otherwise.
      if (status === 429 || status === 503 || (status === 403 && first !== 403)) {
        return outcome.passed(`after ${i + 1} requests with invalid session ids the server answered ${status}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = [...statuses].map(([s, n]) => `${n}× ${s}`).join(", ");
    return outcome.vulnerable(
      `${INVALID_ID_PROBES} requests with invalid session ids in ${seconds} s were all answered normally (${summary})`,
      {
        variant: "not-throttled",
        args: { probes: INVALID_ID_PROBES, seconds },
        confidence: "firm",
        evidence: [
          `GET ${url} with ${INVALID_ID_PROBES} random ${name} values from one client: ${summary}; no 429, no block`,
        ],
        reproduce: [
          `for i in $(seq ${INVALID_ID_PROBES}); do ${curl(new URL(url, context.config.target).href, { cookie: `${name}=$(openssl rand -hex 16)`, headers: false })} -o /dev/null -w '%{http_code}\\n'; done | sort | uniq -c`,
        ],
      },
    );
  },
});
