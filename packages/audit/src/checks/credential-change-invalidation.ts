import type { LoginResult } from "../engine/auth.js";
import type { AuditContext } from "../engine/context.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { fix, sessionguardFix } from "./lib/fixes.js";
import { ASVS_V7, refs, WSTG_LOGOUT } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `credential-change-invalidation`: other sessions stay valid after a password change (ASVS 7.4.5). */
export const credentialChangeInvalidation = defineCheck({
  id: "credential-change-invalidation",
  phase: "credentials",
  catalogue: {
    title: "Other sessions survive a password change",
    severity: "high",
    cwe: [613],
    asvs: ["7.4.3", "7.4.5"],
    description:
      "After the password was changed in one session, the user's other sessions stayed valid. The application does not end existing sessions when credentials change.",
    impact:
      "Changing the password is the first thing a user does after noticing a compromise; if it leaves the attacker's session running, the attacker keeps full access and can even change the password back or the recovery e-mail.",
    likelihood:
      "Relevant whenever an attacker already holds a session (phishing, stolen device, token theft). In that situation the flaw is certain to be exploitable, because the attacker needs to do nothing but keep using the session.",
    recommendation:
      "When a password or any authentication factor changes, end every other session of the user (or offer to), renew the current session's id, and end all sessions when an account is disabled. Provide administrators with a way to revoke a user's sessions.",
    fixes: [
      fix(
        "express-session",
        `
// A per-user credential generation: bumping it ends every session created before the change.
app.use(async (req, res, next) => {
  if (req.session.userId === undefined) return next();
  const user = await db.users.find(req.session.userId);
  if (!user || user.credVersion !== req.session.credVersion) return req.session.destroy(() => res.redirect("/login"));
  next();
});
app.post("/password", async (req, res, next) => {
  const user = await db.users.changePassword(req.session.userId, req.body.current, req.body.next); // increments credVersion
  req.session.regenerate((err) => {
    if (err) return next(err);
    Object.assign(req.session, { userId: user.id, credVersion: user.credVersion });
    res.redirect("/account");
  });
});`,
      ),
      fix(
        "php",
        `
// At login: remember the credential generation the session was created with
$_SESSION['cred_version'] = (int) $user['cred_version'];
// On every request, after loading the user:
if (($_SESSION['cred_version'] ?? -1) !== (int) $user['cred_version']) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}
// On password change: bump the generation (ends all other sessions) and renew this one
$db->prepare('UPDATE users SET cred_version = cred_version + 1 WHERE id = ?')->execute([$user['id']]);
$_SESSION['cred_version'] = (int) $user['cred_version'] + 1;
session_regenerate_id(true);`,
      ),
      sessionguardFix(`
app.post("/password", async (req, res) => {
  if (req.session.userId === null) return res.redirect("/login");
  await changePassword(req.session.userId, req.body.current, req.body.next);
  await req.session.credentialsChanged(); // ends every other session of the user, renews this token
  res.redirect("/account");
});
// Account disabled, or an administrator action: end every session of the user on every device
await manager.revokeUser(userId);`),
    ],
    references: refs([613], ASVS_V7, WSTG_LOGOUT),
    retest: "`credential-change-invalidation` passes: a second session ends when the password changes in the first.",
    headline: "changing the password does not lock out someone who already stole a session",
    action: "ending all other sessions when credentials change",
  },
  async run(context) {
    const skip = needLogin(context, "the password-change test");
    if (skip !== null) return skip;
    const change = context.config.passwordChange;
    if (change === undefined) {
      return outcome.skipped(
        'no "passwordChange" in the config: add the password form and its "revert" step to run this check',
      );
    }
    const name = context.discovery.sessionCookie as string;
    const changer = await context.auth.loginVerified();
    const other = await context.auth.loginVerified();
    const response = await context.http.send({
      url: change.url,
      method: change.method,
      jar: changer.jar,
      ...(change.form === undefined ? { json: change.json } : { form: change.form }),
    });
    if (response.status >= 400) {
      return outcome.inconclusive(
        `the password change at ${change.url} failed (${response.status}); check passwordChange.form`,
      );
    }
    let state: "authenticated" | "anonymous" | "unknown";
    let oldPasswordWorks: boolean;
    try {
      state = await context.auth.state(other.jar);
      // A 200 can still mean "wrong current password": only judge once the old password stopped working.
      oldPasswordWorks = (await context.auth.state((await context.auth.login()).jar)) === "authenticated";
    } finally {
      await revert(context, changer);
    }
    if (oldPasswordWorks) {
      return outcome.inconclusive(
        `the password change at ${change.url} answered ${response.status} but the old password still logs in; check passwordChange.form`,
      );
    }
    const changeUrl = new URL(change.url, context.config.target).href;
    if (state === "authenticated") {
      return outcome.vulnerable("after a password change, a second session of the same user is still authenticated", {
        variant: "other-sessions-survive",
        args: { changeUrl: change.url, status: response.status },
        confidence: "confirmed",
        evidence: [
          `session A: ${change.method} ${change.url} → ${response.status} (password changed)`,
          `session B (logged in before the change): GET ${context.config.authCheck?.url} → authenticated`,
        ],
        reproduce: [
          "# log in twice (sessions A and B), then change the password in A:",
          curl(changeUrl, { method: change.method, cookie: `${name}=<SESSION_A>`, ...placeholderBody(change) }),
          curl(new URL(context.config.authCheck?.url ?? "/", context.config.target).href, {
            cookie: `${name}=<SESSION_B>`,
          }),
        ],
      });
    }
    if (state === "unknown")
      return outcome.inconclusive("the oracle could not tell whether the other session survived");
    return outcome.passed("a password change ended the user's other sessions");
  },
});

/** Restores the original password: through the changing session, else by logging in with the new password. */
async function revert(context: AuditContext, changer: LoginResult): Promise<void> {
  const change = context.config.passwordChange;
  if (change === undefined) return;
  const send = (jar: LoginResult["jar"]) =>
    context.http.send({
      url: change.url,
      method: change.method,
      jar,
      ...(change.revert.form === undefined ? { json: change.revert.json } : { form: change.revert.form }),
    });
  let jar = changer.jar;
  if ((await context.auth.state(jar)) !== "authenticated") {
    const oldPassword = change.form?.current ?? Object.values(change.form ?? {})[0];
    const newPassword = change.form?.next ?? Object.values(change.form ?? {})[1];
    const form = Object.fromEntries(
      Object.entries(context.config.login?.form ?? {}).map(([k, v]) => [
        k,
        v === oldPassword && newPassword !== undefined ? newPassword : v,
      ]),
    );
    jar = (await context.auth.login({ form })).jar;
  }
  const response = await send(jar);
  if (response.status >= 400) {
    context.progress.note(
      `WARNING: reverting the password change failed (${response.status}); restore the test account's password by hand`,
    );
  }
}
