import type { AuditContext } from "../../engine/context.js";
import { type CheckOutcome, outcome } from "../types.js";

/** The outcome to return when the audit has no session cookie to examine, else `null`. */
export function needSessionCookie(context: AuditContext): CheckOutcome | null {
  return context.discovery.sessionCookie === null
    ? outcome.notApplicable(
        `the target issued no session cookie at ${context.config.tokenSource.url}${context.config.login === undefined ? "" : " or at login"}; set "sessionCookie" in the config if the session lives elsewhere`,
      )
    : null;
}

/** The outcome to return when no login is configured, else `null`. */
export function needLogin(context: AuditContext, what = "this check"): CheckOutcome | null {
  if (context.baseline === null) {
    return outcome.skipped(`no "login" and "authCheck" in the config: ${what} needs an authenticated session`);
  }
  return needSessionCookie(context);
}
