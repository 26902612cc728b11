import { formatDuration } from "../config/duration.js";
import { curl } from "./lib/curl.js";
import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** How much longer than `policy.maxIdle` the probe waits: clocks and throttled activity writes differ a little. */
export function idleMargin(maxIdleMs: number): number {
  return Math.max(2_000, Math.round(maxIdleMs * 0.1));
}

/** `idle-timeout`: a session left idle longer than `policy.maxIdle` still works (ASVS 7.3.1). */
export const idleTimeout: Check = {
  id: "idle-timeout",
  phase: "timeouts",
  async run(context) {
    const skip = needLogin(context, "the idle-timeout test");
    if (skip !== null) return skip;
    const maxIdle = context.config.policy.maxIdleMs;
    const wait = maxIdle + idleMargin(maxIdle);
    if (wait + 10_000 > context.http.budget.remainingMs()) {
      return outcome.inconclusive(
        `policy.maxIdle (${formatDuration(maxIdle)}) does not fit in the time left of budget.maxDuration (${formatDuration(context.http.budget.remainingMs())}); raise budget.maxDuration to run this check`,
      );
    }
    const login = await context.auth.loginVerified();
    context.progress.note(`idle-timeout: waiting ${formatDuration(wait)} without activity`);
    await context.http.budget.wait(wait);
    const state = await context.auth.state(login.jar);
    const name = context.discovery.sessionCookie as string;
    if (state === "authenticated") {
      return outcome.vulnerable(
        `a session idle for ${formatDuration(wait)} (policy.maxIdle ${formatDuration(maxIdle)}) is still authenticated`,
        {
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
};
