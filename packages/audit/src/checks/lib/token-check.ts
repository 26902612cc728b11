import type { AuditContext } from "../../engine/context.js";
import type { Confidence, FindingArgs } from "../../report/model.js";
import type { Facts } from "../../tokens/facts.js";
import type { TokenVerdict } from "../../tokens/index.js";
import { type CatalogueEntry, type Check, type CheckOutcome, defineCheck, outcome } from "../types.js";
import { curl } from "./curl.js";
import { needSessionCookie } from "./require.js";

/** A `token-*` check: judges the shared token measurements, offline (`sessionguard tokens`) or live. */
export interface TokenCheck<Id extends `token-${string}` = `token-${string}`> extends Check<Id> {
  /** The verdict on measured tokens: pure, no I/O. */
  judge(facts: Facts): TokenVerdict;
}

/** What a token check module declares. */
export interface TokenCheckSpec<Id extends `token-${string}`> {
  readonly id: Id;
  readonly catalogue: CatalogueEntry;
  judge(facts: Facts): TokenVerdict;
  /** A live step after a vulnerable verdict (e.g. confirming a prediction against the target). */
  confirm?(context: AuditContext, verdict: TokenVerdict, base: CheckOutcome): Promise<CheckOutcome>;
}

/** True for a check that judges token measurements. */
export function isTokenCheck(check: Check): check is TokenCheck {
  return "judge" in check && typeof (check as Partial<TokenCheck>).judge === "function";
}

/** A verdict of a token check. */
export function tokenVerdict(
  id: TokenVerdict["id"],
  status: TokenVerdict["status"],
  reason: string,
  confidence: Confidence,
  evidence: readonly string[],
  finding: { readonly variant: string; readonly args: FindingArgs } | null = null,
): TokenVerdict {
  return { id, status, reason, confidence, evidence, ...(finding ?? {}) };
}

/**
 * Declares a `token-*` check. In an audit it reads its verdict from the token
 * study (sampled and measured once per audit, judged by every token check).
 */
export function defineTokenCheck<const Id extends `token-${string}`>(spec: TokenCheckSpec<Id>): TokenCheck<Id> {
  const check = defineCheck({
    id: spec.id,
    phase: "tokens",
    catalogue: spec.catalogue,
    async run(context): Promise<CheckOutcome> {
      const missing = needSessionCookie(context);
      if (missing !== null) return missing;
      const study = await context.tokens();
      if (study === null) return outcome.inconclusive("no tokens could be sampled");
      const verdict = study.analysis.verdicts.find((v) => v.id === spec.id);
      if (verdict === undefined) return outcome.inconclusive("the token analysis produced no verdict for this check");
      const name = context.discovery.sessionCookie as string;
      const source = new URL(context.config.tokenSource.url, context.config.target).href;
      const reproduce = [
        `for i in $(seq 100); do ${curl(source, { method: context.config.tokenSource.method })} | grep -i '^set-cookie: ${name}='; done > tokens.txt`,
        "npx sessionguard tokens tokens.txt",
      ];
      const base = verdictOutcome(verdict, reproduce);
      return spec.confirm !== undefined && verdict.status === "vulnerable"
        ? spec.confirm(context, verdict, base)
        : base;
    },
  });
  return { ...check, judge: spec.judge };
}

/** A verdict as a check outcome. */
export function verdictOutcome(verdict: TokenVerdict, reproduce: readonly string[] = []): CheckOutcome {
  return {
    status: verdict.status,
    reason: verdict.reason,
    confidence: verdict.confidence,
    evidence: verdict.evidence,
    reproduce,
    ...(verdict.variant === undefined ? {} : { variant: verdict.variant }),
    ...(verdict.args === undefined ? {} : { args: verdict.args }),
  };
}
