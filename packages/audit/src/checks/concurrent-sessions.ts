import type { CookieJar } from "../http/cookie-jar.js";
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
    // Five logins beyond the policy: a limit must then show five times, in order, that it is a
    // limit. A target that loses sessions at random mimics that only by chance (for a coin-flip
    // choice between two sessions, one run in 2^5).
    const logins = max + 5;
    const jars: CookieJar[] = [];
    const alive: boolean[] = [];
    const rounds: (readonly boolean[])[] = [];
    // The audit's first session belongs to the same user: while it lives, it counts too (a limit that
    // refuses new logins would otherwise look smaller than it is).
    const first = context.baseline?.jar;
    let firstAlive = first !== undefined;
    for (let i = 0; i < logins; i++) {
      jars.push((await context.auth.login()).jar);
      alive.push(true);
      // Oldest first, so that a least-recently-used limit and an oldest-first one evict in the same order.
      for (let j = 0; j <= i; j++) {
        const jar = jars[j];
        if (alive[j] !== true || jar === undefined) continue;
        const state = await context.auth.state(jar);
        if (state === "unknown") {
          return outcome.inconclusive(
            `the oracle could not decide whether session #${j + 1} was authenticated after login #${i + 1}`,
          );
        }
        alive[j] = state === "authenticated";
      }
      rounds.push([...alive]);
      if (firstAlive && first !== undefined) firstAlive = (await context.auth.state(first)) === "authenticated";
      const ours = alive.filter(Boolean).length;
      const count = ours + (firstAlive ? 1 : 0);
      if (count > max) {
        return outcome.vulnerable(`${count} sessions of one user are authenticated at once; the policy allows ${max}`, {
          variant: "over-limit",
          args: { alive: count, max },
          confidence: "confirmed",
          evidence: [
            `logged in ${i + 1} times with fresh clients; after the last login ${context.config.authCheck?.url} answered authenticated to ${ours} of these sessions${firstAlive ? " and to the audit's first session" : ""}`,
            ...rounds.slice(-8).map((round) => describeRound(round)),
          ],
          reproduce: [
            `# log in ${max + 1} times from separate clients, then request ${context.config.authCheck?.url} with each cookie`,
          ],
        });
      }
    }
    const limit = limitShown(rounds);
    if (limit?.kind === "evicts-oldest") {
      return outcome.passed(
        `each login beyond ${limit.size} session${limit.size === 1 ? "" : "s"} ended the oldest one, in order, over ${logins} logins (policy: ${max})`,
      );
    }
    if (limit?.kind === "refuses-new") {
      return outcome.passed(
        `the first ${limit.size} login${limit.size === 1 ? "" : "s"} stayed authenticated and the ${logins - limit.size} later ones were refused (policy: ${max})`,
      );
    }
    if (rounds.every((round) => !round.some(Boolean))) {
      return outcome.inconclusive(
        `none of ${logins} logins produced an authenticated session: the account may already hold its limit of sessions under a refuse-new-logins policy, or logging in failed`,
      );
    }
    return outcome.inconclusive(
      `${describeRound(rounds.at(-1) ?? [])}, which is not how a limit leaves them (the newest kept and the oldest ended in order, or every login beyond the limit refused): the target ends sessions for another reason, so the limit cannot be judged`,
    );
  },
});

/** A limit the observations prove, and its size. */
export interface ShownLimit {
  /** `evicts-oldest`: each login beyond the limit ended the oldest session; `refuses-new`: it was refused. */
  readonly kind: "evicts-oldest" | "refuses-new";
  readonly size: number;
}

/**
 * Which limit, if any, explains every observation: `rounds[i][j]` says
 * whether session `j` was authenticated after login `i` (sessions in login
 * order). Sessions that existed before the probe are older than all of
 * them, so an evict-oldest limit of `L` leaves exactly the newest `L` after
 * every login, and a refusing limit of `L` keeps the first `L` and
 * authenticates no later one. Anything else (random or unordered losses)
 * proves no limit.
 */
export function limitShown(rounds: readonly (readonly boolean[])[]): ShownLimit | null {
  const last = rounds.at(-1);
  if (last === undefined) return null;
  const size = last.filter(Boolean).length;
  if (size === 0 || size >= rounds.length) return null;
  const fits = (expected: (login: number, session: number) => boolean): boolean =>
    rounds.every((round, i) => round.length === i + 1 && round.every((up, j) => up === expected(i, j)));
  if (fits((i, j) => j > i - size)) return { kind: "evicts-oldest", size };
  if (fits((_, j) => j < size)) return { kind: "refuses-new", size };
  return null;
}

/** `after login #4: authenticated #2 #4; ended or refused #1 #3`. */
function describeRound(round: readonly boolean[]): string {
  const list = (up: boolean): string =>
    round
      .map((u, j) => (u === up ? `#${j + 1}` : ""))
      .filter((s) => s !== "")
      .join(" ") || "none";
  return `after login #${round.length}: authenticated ${list(true)}; ended or refused ${list(false)}`;
}
