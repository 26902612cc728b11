import type { AuditContext } from "../engine/context.js";
import type { CheckId } from "../report/model.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { type SessionCookieLine, sessionCookieLine } from "./lib/session-cookie.js";
import { type Check, type CheckOutcome, outcome } from "./types.js";

/**
 * A passive check of one attribute of the session cookie's Set-Cookie line.
 * `judge` returns the problem in words, or `null` when the attribute is right.
 */
export function cookieAttributeCheck(
  id: CheckId,
  judge: (found: SessionCookieLine, context: AuditContext) => { problem: string | null; ok: string },
): Check {
  return {
    id,
    phase: "passive",
    async run(context): Promise<CheckOutcome> {
      const missing = needSessionCookie(context);
      if (missing !== null) return missing;
      const found = sessionCookieLine(context);
      if (found === null)
        return outcome.inconclusive("the session cookie was named but never seen in a Set-Cookie header");
      const { problem, ok } = judge(found, context);
      if (problem === null) return outcome.passed(ok);
      const url = new URL(context.config.login?.url ?? context.config.tokenSource.url, context.config.target).href;
      return outcome.vulnerable(problem, {
        confidence: "firm",
        evidence: [`Set-Cookie seen in ${found.where}:`, `Set-Cookie: ${found.line}`],
        reproduce: [
          `${curl(url, context.config.login === undefined ? {} : { method: context.config.login.method, ...placeholderBody(context.config.login) })} | grep -i '^set-cookie: ${found.cookie.name}='`,
        ],
      });
    },
  };
}
