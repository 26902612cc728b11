import type { AuditContext } from "../engine/context.js";
import { CookieJar, parseSetCookies } from "../http/cookie-jar.js";
import type { CheckId } from "../report/model.js";
import { curl } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { type Check, type CheckOutcome, outcome } from "./types.js";

type TokenCheckId = Extract<CheckId, `token-${string}`>;

/** Fresh tokens fetched to confirm a prediction against the live target. */
const CONFIRM_FETCHES = 5;

/**
 * A `token-*` check: reads its verdict from the shared token study (sampled
 * once per audit). `token-predictable` also confirms a prediction live: the
 * next tokens the server issues are compared with the predicted ones.
 */
export function tokenCheck(id: TokenCheckId): Check {
  return {
    id,
    phase: "tokens",
    async run(context): Promise<CheckOutcome> {
      const missing = needSessionCookie(context);
      if (missing !== null) return missing;
      const study = await context.tokens();
      if (study === null) return outcome.inconclusive("no tokens could be sampled");
      const verdict = study.analysis.verdicts.find((v) => v.id === id);
      if (verdict === undefined) return outcome.inconclusive("the token analysis produced no verdict for this check");
      const name = context.discovery.sessionCookie as string;
      const source = new URL(context.config.tokenSource.url, context.config.target).href;
      const reproduce = [
        `for i in $(seq 100); do ${curl(source, { method: context.config.tokenSource.method })} | grep -i '^set-cookie: ${name}='; done > tokens.txt`,
        "npx sessionguard tokens tokens.txt",
      ];
      const base = { confidence: verdict.confidence, evidence: verdict.evidence, reproduce };
      if (id === "token-predictable" && verdict.status === "vulnerable" && study.analysis.prediction !== null) {
        return confirmPrediction(context, name, verdict.reason, base);
      }
      return { status: verdict.status, reason: verdict.reason, ...base };
    },
  };
}

async function confirmPrediction(
  context: AuditContext,
  name: string,
  observed: string,
  base: Pick<CheckOutcome, "confidence" | "evidence" | "reproduce">,
): Promise<CheckOutcome> {
  const reason = /[.!?]$/.test(observed) ? observed : `${observed}.`;
  const study = await context.tokens();
  const predicted = new Set(study?.analysis.prediction?.next ?? []);
  for (let i = 0; i < CONFIRM_FETCHES; i++) {
    const response = await context.http.send({
      url: context.config.tokenSource.url,
      method: context.config.tokenSource.method,
      jar: new CookieJar(),
      followRedirects: false,
    });
    const issued = parseSetCookies(response.setCookies).find((c) => c.name === name)?.value;
    if (issued !== undefined && predicted.has(issued)) {
      return outcome.vulnerable(
        `${reason} Confirmed live: the server then issued a token the analysis had predicted.`,
        {
          ...base,
          confidence: "confirmed",
          evidence: [
            ...(base.evidence ?? []),
            `fresh token #${i + 1} from ${context.config.tokenSource.url} was among the predicted next values`,
          ],
        },
      );
    }
  }
  return outcome.vulnerable(
    `${reason} (The live confirmation did not hit a predicted value: other clients may be drawing tokens at the same time.)`,
    {
      ...base,
      confidence: base.confidence === "confirmed" ? "firm" : (base.confidence ?? "firm"),
    },
  );
}

/** The six token checks. */
export const tokenChecks: readonly Check[] = (
  ["token-length", "token-entropy", "token-predictable", "token-duplicate", "token-bias", "token-decodable"] as const
).map(tokenCheck);
