import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V7, refs } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `concurrent-sessions`: more parallel sessions than `policy.maxConcurrentSessions` are allowed. */
export const concurrentSessions = defineCheck({
  id: "concurrent-sessions",
  phase: "lifecycle",
  catalogue: {
    title: "Unlimited concurrent sessions",
    severity: "low",
    cwe: [770],
    asvs: ["7.1.2", "7.5.2"],
    description:
      "One account could hold more parallel sessions than the policy allows (`policy.maxConcurrentSessions`). New logins neither end older sessions nor are refused.",
    impact:
      "An attacker using stolen credentials or a stolen session can work in parallel with the legitimate user without being pushed out or noticed, and shared accounts cannot be restricted as the policy intends.",
    likelihood:
      "Relevant when credentials or tokens are already compromised or accounts are shared. The flaw does not open access by itself; it removes a signal and a limit that would otherwise contain misuse.",
    recommendation:
      "Track sessions per user, limit them according to the documented policy (evict the oldest or refuse new logins), and let users see and end their active sessions.",
    fixes: [
      fix(
        "express-session",
        `
const MAX_SESSIONS = 3;
// at login, after req.session.regenerate(): index the session per user, end the oldest beyond the limit
const key = "user-sessions:" + user.id;
await redis.zAdd(key, { score: Date.now(), value: req.sessionID });
for (const sid of await redis.zRange(key, 0, -(MAX_SESSIONS + 1))) {
  req.sessionStore.destroy(sid, () => {});
  await redis.zRem(key, sid);
}`,
      ),
      fix(
        "php",
        `
// at login, after session_regenerate_id(true): keep a hash of the id, never the id itself
$db->prepare('INSERT INTO user_sessions (user_id, sid_hash, created_at) VALUES (?, ?, ?)')
   ->execute([$uid, hash('sha256', session_id()), time()]);
$db->prepare('DELETE FROM user_sessions WHERE user_id = ? AND sid_hash NOT IN
   (SELECT sid_hash FROM (SELECT sid_hash FROM user_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 3) AS keep)')
   ->execute([$uid, $uid]);
// on every authenticated request: an evicted session is over
$s = $db->prepare('SELECT 1 FROM user_sessions WHERE sid_hash = ?');
$s->execute([hash('sha256', session_id())]);
if (!$s->fetchColumn()) { $_SESSION = []; session_destroy(); header('Location: /login'); exit; }`,
      ),
      sessionguardOption(
        `maxSessionsPerUser: 3,
sessionLimitPolicy: "evict-oldest", // or "reject": login fails with ERR_SESSION_LIMIT`,
        `const sessions = await manager.listSessions(userId); // for an "active sessions" page`,
      ),
    ],
    references: refs([770], ASVS_V7),
    retest: "`concurrent-sessions` passes: a login beyond the limit ends the oldest session or is refused.",
    headline: "one account can be used from any number of places at once",
    action: "limiting and listing each user's concurrent sessions",
  },
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
        variant: "over-limit",
        args: { alive, max },
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
});
