import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** `concurrent-sessions`: more parallel sessions than `policy.maxConcurrentSessions` are allowed. */
export const concurrentSessions: Check = {
  id: "concurrent-sessions",
  phase: "lifecycle",
  async run(context) {
    const max = context.config.policy.maxConcurrentSessions;
    if (max === null) {
      return outcome.notApplicable(
        "policy.maxConcurrentSessions is null: the policy allows unlimited concurrent sessions",
      );
    }
    const skip = needLogin(context, "the concurrent-session test");
    if (skip !== null) return skip;
    if (max > 50) return outcome.inconclusive("policy.maxConcurrentSessions above 50 is not tested (too many logins)");
    const sessions = [];
    for (let i = 0; i <= max; i++) sessions.push(await context.auth.loginVerified());
    let alive = 0;
    for (const s of sessions) if ((await context.auth.state(s.jar)) === "authenticated") alive++;
    if (alive > max) {
      return outcome.vulnerable(`${alive} sessions of one user are authenticated at once; the policy allows ${max}`, {
        confidence: "confirmed",
        evidence: [
          `logged in ${max + 1} times with fresh clients; ${alive} of the ${max + 1} sessions stayed authenticated`,
        ],
        reproduce: [
          `# log in ${max + 1} times from separate clients, then request ${context.config.authCheck?.url} with each cookie`,
        ],
      });
    }
    return outcome.passed(`after ${max + 1} logins only ${alive} sessions stay authenticated (policy: ${max})`);
  },
};
