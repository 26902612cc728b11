import { FAMILY_ALPHA, type Rejection } from "../tokens/effective-entropy.js";
import { type Facts, FIPS_SAMPLES, RELIABLE_SAMPLES, STATISTICS_FLOOR } from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { formatCount, formatP } from "../tokens/lib/format.js";
import { EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR } from "./lib/fixes.js";
import { ASVS_V7, ASVS_V11, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";

const ID = "token-bias";

/** `token-bias`: statistical tests reject randomness at some bit or character positions. */
export const tokenBias = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Statistically biased session tokens",
    severity: "medium",
    cwe: [330],
    asvs: ["7.2.3", "11.5.1"],
    description:
      "Statistical tests on the sampled tokens (per-position character frequencies and the FIPS 140-2 monobit, poker and runs tests on the bits) reject randomness for some positions. Some characters or bits occur far more often than a uniform random source would produce.",
    impact:
      "Biased positions carry less entropy than they appear to, which lowers the work needed to guess a valid token and often points to a non-cryptographic generator (`Math.random`, `mt_rand`, a modulo bias) whose full state may be recoverable from enough samples.",
    likelihood:
      "Bias alone rarely allows immediate exploitation; it matters most in combination with short tokens or weak throttling. An attacker would first need to collect many tokens and model the bias, which is well within reach of automated tools such as Burp Sequencer.",
    recommendation:
      "Draw tokens from a CSPRNG and encode the raw bytes without modulo arithmetic (hex or base64url of random bytes, not `chars[rand() % n]`). Re-run the token analysis after the change.",
    fixes: [EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR],
    references: refs([330], ASVS_V7, ASVS_V11, WSTG_SCHEMA),
    retest: "`token-bias` passes: no analysed position or bit fails the randomness tests at the 0.1 % level.",
    headline: "session tokens show statistical patterns that reduce their strength",
    action: "encoding raw CSPRNG bytes without biased arithmetic",
  },
  judge: biasVerdict,
});

function biasVerdict(f: Facts): TokenVerdict {
  const { bits, effective, matrix } = f;
  const columns = matrix.columns.length;
  const fipsFailed = bits.fips.filter((x) => !x.pass).length;
  const evidence = [
    `FIPS 140-2 (monobit, poker, runs, long run${f.n === FIPS_SAMPLES ? ", exact 20,000-bit blocks" : `, rescaled to ${formatCount(f.n)} samples`}): ${formatCount(fipsFailed)} of ${formatCount(columns)} bit positions fail at least one test`,
    `${formatCount(effective.tests)} tests, family-wise significance ${FAMILY_ALPHA * 100} % (per test p < ${effective.threshold.toExponential(1)})`,
  ];
  if (bits.strongest) {
    evidence.push(
      `strongest correlation between bit positions: ${describeColumn(f, bits.strongest.a)} and ${describeColumn(f, bits.strongest.b)}, r = ${bits.strongest.r.toFixed(3)} (${formatP(bits.strongest.p)}, first ${formatCount(bits.correlationSamples)} samples)`,
    );
  }
  if (columns === 0) {
    return tokenVerdict(ID, "inconclusive", "no variable bits to test", "firm", evidence);
  }
  if (f.n < STATISTICS_FLOOR) {
    return tokenVerdict(
      ID,
      "inconclusive",
      `only ${formatCount(f.n)} samples: per-position tests need at least ${STATISTICS_FLOOR} (${formatCount(RELIABLE_SAMPLES)} for reliable results)`,
      "tentative",
      evidence,
    );
  }
  const rejections = effective.rejections;
  if (rejections.length > 0) {
    const positions = new Set(
      rejections
        .filter((r) => r.at >= 0)
        .map((r) => `${r.test === "characters" || r.test === "transitions" ? "c" : "b"}${r.at}`),
    );
    const top = rejections.slice(0, 3).map((r) => describeRejection(f, r));
    evidence.push(...rejections.slice(0, 12).map((r) => describeRejection(f, r)));
    return tokenVerdict(
      ID,
      "vulnerable",
      `statistical tests reject randomness at ${formatCount(positions.size)} position${positions.size === 1 ? "" : "s"} (family-wise ${FAMILY_ALPHA * 100} %): ${top.join("; ")}`,
      "firm",
      evidence,
      { variant: "non-random", args: { positions: positions.size, samples: f.n, tests: effective.tests } },
    );
  }
  return tokenVerdict(
    ID,
    "passed",
    `no bit or character position deviates from random over ${formatCount(f.n)} samples (${formatCount(columns)} bit positions, ${formatCount(effective.tests)} tests, corrected for their number)`,
    f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
    evidence,
  );
}

function describeColumn(f: Facts, c: number): string {
  const origin = f.matrix.origins[c];
  if (!origin) return `bit ${c}`;
  const field = f.layout.fields.filter((x) => !x.constant).length > 1 ? `field ${origin.field + 1} ` : "";
  return origin.char === null
    ? `${field}number bit ${origin.bit}`
    : `${field}character ${origin.char + 1} bit ${origin.bit + 1}`;
}

function describeRejection(f: Facts, r: Rejection): string {
  if (r.at < 0) return `${r.test} over all bit positions (${formatP(r.p)})`;
  if (r.test === "characters" || r.test === "transitions") {
    const position = f.matrix.chars[r.at]!;
    const where = `${position.fromRight ? `digit ${position.position + 1} from the right` : `character ${position.position + 1}`}`;
    const field = f.layout.fields.filter((x) => !x.constant).length > 1 ? `field ${position.field + 1} ` : "";
    return r.test === "characters"
      ? `${field}${where}: uneven character counts (${formatP(r.p)})`
      : `${field}${where}: predictable steps between successive tokens (${formatP(r.p)})`;
  }
  const ratio = f.bits.onesRatio[r.at] ?? 0.5;
  const detail = r.test === "monobit" ? `, ${(ratio * 100).toFixed(1)} % ones` : "";
  return `${describeColumn(f, r.at)}: ${r.test}${detail} (${formatP(r.p)})`;
}
