import type { LoginResult } from "../engine/auth.js";
import type { AuditContext } from "../engine/context.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** `credential-change-invalidation`: other sessions stay valid after a password change (ASVS 7.4.5). */
export const credentialChangeInvalidation: Check = {
  id: "credential-change-invalidation",
  phase: "lifecycle",
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
};

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
