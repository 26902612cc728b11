import { formatDuration } from "../config/duration.js";
import { idleMargin } from "./idle-timeout.js";
import { curl } from "./lib/curl.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { shortWait, TIMER_SLACK_MS, timedWait, waitMisfit } from "./lib/real-wait.js";
import { ASVS_V7, refs, WSTG_TIMEOUT } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `absolute-timeout`: continuous activity keeps a session alive past `policy.maxAbsolute` (ASVS 7.3.2). */
export const absoluteTimeout = defineCheck({
  id: "absolute-timeout",
  phase: "timeouts",
  catalogue: {
    title: "No absolute session timeout",
    severity: "medium",
    cwe: [613],
    asvs: ["7.3.2"],
    description:
      "Regular activity kept a session alive past the policy's absolute limit. There is no maximum lifetime after which the user must authenticate again.",
    impact:
      "A hijacked session can be kept alive forever by an attacker who simply sends a request every few minutes, so a single token theft turns into permanent access.",
    likelihood:
      "Exploitation requires a stolen token; keeping it alive is then trivially automated. Without an absolute timeout, every past compromise stays open until the user changes their password — if that ends sessions at all.",
    recommendation:
      "Enforce an absolute session lifetime (for example 4–12 hours depending on risk) from the moment of login, on the server, regardless of activity; require re-authentication afterwards.",
    fixes: [
      fix(
        "express-session",
        `
const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// at login, inside req.session.regenerate(): req.session.authenticatedAt = Date.now();
app.use((req, res, next) => {
  const since = req.session.authenticatedAt;
  if (since !== undefined && Date.now() - since > ABSOLUTE_MS) return req.session.destroy(() => res.redirect("/login"));
  next();
});`,
      ),
      fix(
        "php",
        `
// at login, after session_regenerate_id(true):
$_SESSION['authenticated_at'] = time();
// on every request:
if (isset($_SESSION['authenticated_at']) && time() - $_SESSION['authenticated_at'] > 12 * 3600) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}`,
      ),
      sessionguardOption(`absoluteTimeout: "12h", // the default; counted from login, activity cannot extend it`),
    ],
    references: refs([613], ASVS_V7, WSTG_TIMEOUT),
    retest: "`absolute-timeout` passes: an active session ends at `policy.maxAbsolute`.",
    headline: "an active session can be kept alive forever",
    action: "enforcing an absolute session lifetime",
  },
  async run(context) {
    const skip = needLogin(context, "the absolute-timeout test");
    if (skip !== null) return skip;
    const { maxAbsoluteMs, maxIdleMs } = context.config.policy;
    const total = maxAbsoluteMs + idleMargin(maxIdleMs);
    const budget = context.http.budget;
    const what = `policy.maxAbsolute (${formatDuration(maxAbsoluteMs)})`;
    const before = waitMisfit(total, budget.remainingMs(), what);
    if (before !== null) return outcome.inconclusive(before);
    // Keep-alive requests well inside the idle window, so only the absolute limit can end the session.
    const interval = Math.max(1_000, Math.min(Math.floor(maxIdleMs / 3), 10 * 60_000));
    const login = await context.auth.loginVerified();
    const after = waitMisfit(total, budget.remainingMs(), what);
    if (after !== null) return outcome.inconclusive(after);
    // The monotonic clock: a wall-clock jump must not end (or stretch) the probe.
    const started = performance.now();
    context.progress.note(`absolute-timeout: keeping a session active for ${formatDuration(total)}`);
    let last = started;
    // Every round waits (verified) at least one interval or the rest of the window, so the rounds are bounded.
    const rounds = Math.ceil(total / interval) + 1;
    for (let round = 0; round < rounds && performance.now() - started < total; round++) {
      const piece = Math.min(interval, total - (performance.now() - started));
      const cut = shortWait(piece, await timedWait(budget, piece));
      if (cut !== null) return outcome.inconclusive(cut);
      const gap = performance.now() - last;
      const state = await context.auth.state(login.jar);
      last = performance.now();
      const elapsed = last - started;
      if (state === "anonymous" && gap >= maxIdleMs) {
        // A late keep-alive (a busy machine) may have let the session die of idleness instead.
        return outcome.inconclusive(
          `the session ended after ${formatDuration(elapsed)}, but a keep-alive request came ${formatDuration(gap)} after the previous one, beyond policy.maxIdle: re-run on a less busy machine`,
        );
      }
      if (state === "anonymous") {
        return outcome.passed(
          `an active session was ended after ${formatDuration(elapsed)} (policy.maxAbsolute ${formatDuration(maxAbsoluteMs)})`,
        );
      }
      if (state === "unknown")
        return outcome.inconclusive(`the oracle could not decide after ${formatDuration(elapsed)}`);
    }
    const alive = last - started;
    if (alive < total - TIMER_SLACK_MS) {
      return outcome.inconclusive(
        `the session was kept active for only ${formatDuration(alive)} of the ${formatDuration(total)} the probe needs, so there is no verdict`,
      );
    }
    const name = context.discovery.sessionCookie as string;
    return outcome.vulnerable(
      `a session kept active with a request every ${formatDuration(interval)} is still authenticated after ${formatDuration(total)} (policy.maxAbsolute ${formatDuration(maxAbsoluteMs)})`,
      {
        variant: "alive-past-limit",
        args: { keptAliveMs: total, intervalMs: interval, maxAbsoluteMs },
        confidence: "confirmed",
        evidence: [
          `logged in, then GET ${context.config.authCheck?.url} every ${formatDuration(interval)} for ${formatDuration(total)}: always authenticated`,
        ],
        reproduce: [
          `while sleep ${Math.ceil(interval / 1000)}; do ${curl(new URL(context.config.authCheck?.url ?? "/", context.config.target).href, { cookie: `${name}=<SESSION_TOKEN>`, headers: false })} | grep -c '${context.config.authCheck?.loggedIn ?? ""}'; done`,
        ],
      },
    );
  },
});
