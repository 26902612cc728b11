import type { AuditContext } from "../engine/context.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { type SessionCookieLine, sessionCookieLine } from "./lib/session-cookie.js";
import { type CatalogueEntry, type Check, type CheckOutcome, defineCheck, outcome } from "./types.js";

/** What a cookie-attribute judge found: the problem in words (`null` when right), its variant and values. */
export interface AttributeJudgement {
  readonly problem: string | null;
  readonly ok: string;
  /** Which form of the problem, e.g. `missing` or `none` (see {@link CheckOutcome.variant}). */
  readonly variant?: string;
  readonly args?: CheckOutcome["args"];
}

/**
 * A passive check of one attribute of the session cookie's Set-Cookie line.
 * `judge` returns the problem in words, or `null` when the attribute is right.
 */
export function cookieAttributeCheck<const Id extends string>(
  id: Id,
  catalogue: CatalogueEntry,
  judge: (found: SessionCookieLine, context: AuditContext) => AttributeJudgement,
): Check<Id> {
  return defineCheck({
    id,
    phase: "passive",
    catalogue,
    async run(context): Promise<CheckOutcome> {
      const missing = needSessionCookie(context);
      if (missing !== null) return missing;
      const found = sessionCookieLine(context);
      if (found === null)
        return outcome.inconclusive("the session cookie was named but never seen in a Set-Cookie header");
      const { problem, ok, variant, args } = judge(found, context);
      if (problem === null) return outcome.passed(ok);
      const url = new URL(context.config.login?.url ?? context.config.tokenSource.url, context.config.target).href;
      return outcome.vulnerable(problem, {
        variant: variant ?? "missing",
        args: { cookie: found.cookie.name, ...args },
        confidence: "firm",
        evidence: [`Set-Cookie seen in ${found.where}:`, `Set-Cookie: ${found.line}`],
        reproduce: [
          `${curl(url, context.config.login === undefined ? {} : { method: context.config.login.method, ...placeholderBody(context.config.login) })} | grep -i '^set-cookie: ${found.cookie.name}='`,
        ],
      });
    },
  });
}
