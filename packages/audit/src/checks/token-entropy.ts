import {
  type EntropyFigure,
  entropyFigure,
  type Facts,
  RELIABLE_SAMPLES,
  round1,
  STATISTICS_FLOOR,
} from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { formatBits, formatCount, formatP } from "../tokens/lib/format.js";
import { EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR } from "./lib/fixes.js";
import { ASVS_V7, ASVS_V11, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";

const ID = "token-entropy";

/** `token-entropy`: the effective entropy per token falls below `policy.minEntropyBits`. */
export const tokenEntropy = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Insufficient session token entropy",
    severity: "high",
    cwe: [331],
    asvs: ["7.2.3", "11.5.1"],
    description:
      "The effective entropy measured over the sampled tokens is below the policy floor. The token may look long, but much of it is constant, structured or drawn from a small set of values, so only a few bits actually vary from one session to the next.",
    impact:
      "An attacker who collects a handful of tokens can concentrate guesses on the few varying positions and find other users' live sessions far faster than the token length suggests, then act as those users: read their data, change their settings or perform transactions in their name.",
    likelihood:
      "The attacker needs only an anonymous client to collect sample tokens and enough requests to search the reduced space. The lower the measured entropy and the weaker the throttling of invalid ids, the more likely a successful guess; entropy below 64 bits is within reach of a single machine.",
    recommendation:
      "Generate the whole token from a CSPRNG (`crypto.randomBytes`, `random_bytes`, WebCrypto `getRandomValues`) with at least 128 bits of entropy, and do not embed timestamps, counters, user ids or server names in it. Invalidate all sessions issued by the old generator after the fix.",
    fixes: [EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR],
    references: refs([331], ASVS_V7, ASVS_V11, WSTG_SCHEMA),
    retest: "`token-entropy` passes: the effective entropy estimate is at or above `policy.minEntropyBits`.",
    headline: "session tokens contain far less randomness than their length suggests",
    action: "drawing every bit of the session token from a cryptographically secure random generator",
  },
  judge: entropyVerdict,
});

function entropyVerdict(f: Facts, e: EntropyFigure = entropyFigure(f)): TokenVerdict {
  if (f.n === 0) return tokenVerdict(ID, "inconclusive", "no tokens to measure", "firm", []);
  const bits = round1(e.bits);
  const perToken = (h: number | null): string => (h === null ? "n/a" : `${formatBits(round1(h * f.matrix.rawBits))}`);
  const evidence = [
    `effective entropy ${formatBits(bits)} bits per token (limited by ${e.limitedBy})`,
    `per-bit effective entropy, as a sequencer reports it: ${Object.entries(f.effective.atLevel)
      .map(([level, b]) => `${formatBits(b)} bits at ${level}`)
      .join(", ")}`,
    `SP 800-90B-style min-entropy per token (99 % lower bounds on ${formatCount(f.estimates.bits)} bits): MCV ${perToken(f.estimates.mcv)}, collision ${perToken(f.estimates.collision)}, Markov ${perToken(f.estimates.markov)}, compression ${perToken(f.estimates.compression)}, t-tuple ${perToken(f.estimates.tTuple)}, LRS ${perToken(f.estimates.lrs)}`,
    `byte statistics (ent): ${f.bytes.entropy.toFixed(6)} bits per byte, chi-square ${f.bytes.chiSquare.toFixed(2)} (${formatP(f.bytes.chiSquareP)}), serial correlation ${f.bytes.serialCorrelation.toFixed(6)} over ${formatCount(f.bytes.bytes)} bytes`,
  ];
  const policy = f.minEntropyBits;
  if (f.matrix.rawBits < policy) {
    return tokenVerdict(
      ID,
      "vulnerable",
      `at most ${formatBits(round1(f.matrix.rawBits))} bits of entropy per token (the raw variable bits), below the policy of ${policy} bits${e.structural ? `; effective ${formatBits(bits)} bits (${e.limitedBy})` : ""}`,
      "firm",
      evidence,
      {
        variant: "raw-bits-below-policy",
        args: { rawBits: round1(f.matrix.rawBits), effectiveBits: bits, policyBits: policy },
      },
    );
  }
  if (e.structural && bits < policy) {
    return tokenVerdict(
      ID,
      "vulnerable",
      `effective entropy about ${formatBits(bits)} bits per token, below the policy of ${policy} bits: ${e.limitedBy}`,
      "firm",
      evidence,
      { variant: "structure-below-policy", args: { effectiveBits: bits, policyBits: policy, limitedBy: e.limitedBy } },
    );
  }
  if (f.n < STATISTICS_FLOOR) {
    return tokenVerdict(
      ID,
      "inconclusive",
      `only ${formatCount(f.n)} samples: at least ${STATISTICS_FLOOR} are needed to estimate entropy (${formatBits(round1(f.matrix.rawBits))} raw bits per token)`,
      "tentative",
      evidence,
    );
  }
  if (bits < policy) {
    return tokenVerdict(
      ID,
      "vulnerable",
      `effective entropy ${formatBits(bits)} bits per token, below the policy of ${policy} bits (${e.limitedBy})`,
      f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
      evidence,
      { variant: "below-policy", args: { effectiveBits: bits, policyBits: policy, limitedBy: e.limitedBy } },
    );
  }
  const floorNote =
    f.estimates.min * f.matrix.rawBits < policy
      ? `; the most conservative SP 800-90B-style estimate (${formatBits(round1(f.estimates.min * f.matrix.rawBits))} bits) is below the policy — a 99 % lower bound that needs more samples to tighten`
      : "";
  return tokenVerdict(
    ID,
    "passed",
    `effective entropy ${formatBits(bits)} bits per token, at least the policy of ${policy} bits${floorNote}`,
    f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
    evidence,
  );
}
