import type { AuditContext } from "../engine/context.js";
import { CookieJar, parseSetCookies } from "../http/cookie-jar.js";
import type { Confidence } from "../report/model.js";
import { type Facts, round1, STRUCTURE_FLOOR } from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { formatBits, formatCount } from "../tokens/lib/format.js";
import { EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR } from "./lib/fixes.js";
import { ASVS_V7, ASVS_V11, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";
import { type CheckOutcome, outcome } from "./types.js";

const ID = "token-predictable";

/** `token-predictable`: a deterministic generator is identified and the next tokens are computed; confirmed live where possible. */
export const tokenPredictable = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Predictable session tokens",
    severity: "critical",
    cwe: [330, 340],
    asvs: ["7.2.3", "11.5.1"],
    description:
      "The session tokens are produced by a deterministic generator — a counter, a timestamp, a hash of either, an id-plus-time pattern or a linear generator — rather than by a cryptographically secure random source. Knowing a few issued tokens is enough to compute the next ones.",
    impact:
      "An attacker can compute the tokens issued to other users and take over their sessions one after another without any interaction with the victims: full account takeover at scale, exposure of personal data, fraudulent transactions and a breach that must be reported.",
    likelihood:
      "Exploitation is straightforward and repeatable: the attacker obtains a few tokens by visiting the site, recognises the pattern (the same analysis this audit performed) and replays predicted values. No special position in the network and no victim interaction are needed, so the likelihood is very high once the pattern is known.",
    recommendation:
      "Replace the generator with a CSPRNG of at least 128 bits per token, delete every custom id scheme (counters, `uniqid()`, `md5(time())`, `Date.now()`), and flush the session store after deployment so that tokens from the predictable generator stop working.",
    fixes: [EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR],
    references: refs([330, 340], ASVS_V7, ASVS_V11, WSTG_SCHEMA),
    retest:
      "`token-predictable` passes: no generator is identified and no predicted token authenticates against the target.",
    headline: "an attacker can compute other users' session tokens and take over their accounts",
    action: "replacing the predictable token generator with a cryptographically secure one",
  },
  judge: predictableVerdict,
  confirm: confirmPrediction,
});

/** Fresh tokens fetched to confirm a prediction against the live target. */
const CONFIRM_FETCHES = 5;

// The next tokens the server issues are compared with the predicted ones.
async function confirmPrediction(
  context: AuditContext,
  verdict: TokenVerdict,
  base: CheckOutcome,
): Promise<CheckOutcome> {
  const study = await context.tokens();
  const prediction = study?.analysis.prediction ?? null;
  if (prediction === null) return base;
  const name = context.discovery.sessionCookie as string;
  const reason = /[.!?]$/.test(verdict.reason) ? verdict.reason : `${verdict.reason}.`;
  const predicted = new Set(prediction.next);
  const details = {
    variant: verdict.variant ?? "generator-identified",
    ...(base.args === undefined ? {} : { args: base.args }),
  };
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
          ...details,
          reproduce: base.reproduce ?? [],
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
      ...details,
      evidence: base.evidence ?? [],
      reproduce: base.reproduce ?? [],
      confidence: base.confidence === "confirmed" ? "firm" : (base.confidence ?? "firm"),
    },
  );
}

function predictableVerdict(f: Facts): TokenVerdict {
  const { structure } = f;
  const evidence = structure.findings.flatMap((x) => [`field ${x.field + 1}: ${x.description}`, ...x.evidence]);
  if (structure.predictable && structure.generator) {
    const findings = structure.findings.filter((x) => x.explained >= 0.5 * x.checked);
    const explained = Math.min(...findings.map((x) => x.explained));
    const checked = Math.max(...findings.map((x) => x.checked));
    const confidence: Confidence = findings.some((x) => x.confidence === "tentative") ? "tentative" : "firm";
    const nextWords =
      findings.length === 1 ? findings[0]!.nextInWords : findings.map((x) => x.nextInWords).join(" with ");
    evidence.push(`${structure.next.length} candidate next tokens computed`);
    return tokenVerdict(
      ID,
      "vulnerable",
      `predictable: ${structure.description ?? structure.generator}; ${formatCount(explained)} of ${formatCount(checked)} ${findings.some((x) => x.kind === "counter" || x.kind === "small-deltas") ? "steps" : "samples"} fit; the next value is ${nextWords}`,
      confidence,
      evidence,
      { variant: "generator-identified", args: { generator: structure.generator, fitted: explained, checked } },
    );
  }
  const partial = structure.findings.filter((x) => x.explained >= 0.5 * x.checked);
  const partialNote =
    partial.length > 0
      ? `; ${partial.map((x) => `field ${x.field + 1} is ${x.name} (about ${formatBits(round1(x.residualBits))} bits to guess)`).join(", ")}, but other fields look random`
      : "";
  if (f.n < STRUCTURE_FLOOR) {
    return tokenVerdict(
      ID,
      "inconclusive",
      `only ${formatCount(f.n)} samples: the generator detectors need about ${STRUCTURE_FLOOR} consecutive tokens${partialNote}`,
      "tentative",
      evidence,
    );
  }
  const tried = structure.tried.length > 0 ? structure.tried.join(", ") : "no detector applies to this format";
  return tokenVerdict(
    ID,
    "passed",
    `no deterministic generator found (tried: ${tried})${partialNote}; statistics cannot exclude a generator seeded with a secret`,
    "tentative",
    evidence,
  );
}
