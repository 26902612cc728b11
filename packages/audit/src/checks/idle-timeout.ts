import { formatDuration } from "../config/duration.js";
import { curl } from "./lib/curl.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { shortWait, timedWait, waitMisfit } from "./lib/real-wait.js";
import { ASVS_V7, refs, WSTG_TIMEOUT } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** How much longer than `policy.maxIdle` the probe waits: clocks and throttled activity writes differ a little. */
export function idleMargin(maxIdleMs: number): number {
  return Math.max(2_000, Math.round(maxIdleMs * 0.1));
}

/** `idle-timeout`: a session left idle longer than `policy.maxIdle` still works (ASVS 7.3.1). */
export const idleTimeout = defineCheck({
  id: "idle-timeout",
  phase: "timeouts",
  catalogue: {
    title: "No effective idle timeout",
    severity: "medium",
    cwe: [613],
    asvs: ["7.3.1"],
    description:
      "A session left idle for longer than the policy's idle limit was still valid. Either there is no inactivity timeout, or it is enforced only by the cookie lifetime in the browser and not by the server.",
    impact:
      "Unattended sessions — on shared computers, in a forgotten tab, or as a token stolen long ago — stay usable indefinitely, widening the window in which a stolen or abandoned session can be abused.",
    likelihood:
      "Exploitation needs access to an abandoned session or an old token. The longer the effective lifetime, the more likely that such a token surfaces in logs, backups, shared devices or malware dumps.",
    recommendation:
      "Enforce an inactivity timeout on the server (OWASP suggests 2–5 minutes for high-value applications, 15–30 minutes for low-risk ones), measured from the last request, independently of what the cookie says.",
    fixes: [
      fix(
        "express-session",
        `
const IDLE_MS = 30 * 60 * 1000;
app.use(session({ secret: process.env.SESSION_SECRET, store, rolling: true, cookie: { maxAge: IDLE_MS } }));
// Enforce on the server too: the browser's cookie expiry is not a control.
app.use((req, res, next) => {
  const now = Date.now();
  if (req.session.lastSeen !== undefined && now - req.session.lastSeen > IDLE_MS) {
    return req.session.destroy(() => res.redirect("/login"));
  }
  req.session.lastSeen = now;
  next();
});`,
      ),
      fix(
        "php",
        `
session_start();
// session.gc_maxlifetime is probabilistic garbage collection, not a timeout: check explicitly
if (isset($_SESSION['last_seen']) && time() - $_SESSION['last_seen'] > 1800) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}
$_SESSION['last_seen'] = time();`,
      ),
      sessionguardOption(`idleTimeout: "30m", // the default; enforced server-side, activity writes are throttled`),
    ],
    references: refs([613], ASVS_V7, WSTG_TIMEOUT),
    retest: "`idle-timeout` passes: a session idle for longer than `policy.maxIdle` no longer authenticates.",
    headline: "sessions left idle never expire",
    action: "enforcing an idle timeout on the server",
  },
  async run(context) {
    const skip = needLogin(context, "the idle-timeout test");
    if (skip !== null) return skip;
    const maxIdle = context.config.policy.maxIdleMs;
    const wait = maxIdle + idleMargin(maxIdle);
    const budget = context.http.budget;
    const before = waitMisfit(wait, budget.remainingMs(), `policy.maxIdle (${formatDuration(maxIdle)})`);
    if (before !== null) return outcome.inconclusive(before);
    const login = await context.auth.loginVerified();
    // The login took time too: ask again, so that the wait never starts without room for the probe.
    const after = waitMisfit(wait, budget.remainingMs(), `policy.maxIdle (${formatDuration(maxIdle)})`);
    if (after !== null) return outcome.inconclusive(after);
    context.progress.note(`idle-timeout: waiting ${formatDuration(wait)} without activity`);
    const waited = await timedWait(budget, wait);
    // Only a wait that really lasted can support a verdict (a timer beyond 2^31−1 ms once fired after 1 ms).
    const cut = shortWait(wait, waited);
    if (cut !== null) return outcome.inconclusive(cut);
    const state = await context.auth.state(login.jar);
    const name = context.discovery.sessionCookie as string;
    if (state === "authenticated") {
      return outcome.vulnerable(
        `a session idle for ${formatDuration(wait)} (policy.maxIdle ${formatDuration(maxIdle)}) is still authenticated`,
        {
          variant: "alive-after-idle",
          args: { idleMs: wait, maxIdleMs: maxIdle },
          confidence: "confirmed",
          evidence: [
            `logged in, no request for ${formatDuration(wait)}, then GET ${context.config.authCheck?.url} → authenticated`,
          ],
          reproduce: [
            `sleep ${Math.ceil(wait / 1000)}; ${curl(new URL(context.config.authCheck?.url ?? "/", context.config.target).href, { cookie: `${name}=<SESSION_TOKEN>` })}`,
          ],
        },
      );
    }
    if (state === "unknown") return outcome.inconclusive("the oracle could not tell whether the idle session survived");
    return outcome.passed(`a session idle for ${formatDuration(wait)} was ended by the server`);
  },
});
