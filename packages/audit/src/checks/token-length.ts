import { encodingLabel } from "../tokens/alphabet.js";
import { type Facts, round1 } from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { formatBits } from "../tokens/lib/format.js";
import { EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR } from "./lib/fixes.js";
import { ASVS_V7, ASVS_V11, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";

const ID = "token-length";

/** `token-length`: the raw variable bits of a token fall below 128 (SPEC §2.3). */
export const tokenLength = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Session token too short",
    severity: "medium",
    cwe: [6, 330],
    asvs: ["7.2.3", "11.5.1"],
    description:
      "The session token carries fewer than 128 bits even before its randomness is considered. OWASP and ASVS 7.2.3 require at least 128 bits of entropy for reference tokens, so a shorter token cannot meet the requirement however well it is generated.",
    impact:
      "A short token shrinks the space an attacker must search to find a live session. With many concurrent users, every guess has a proportionally higher chance to hit one of them, and a successful guess gives full access to that user's account without knowing the password.",
    likelihood:
      "Exploitation needs only the ability to send requests and no knowledge of the victims. How quickly a guess succeeds depends on the remaining entropy, the number of active sessions and whether the server throttles invalid ids; below roughly 64 bits, online guessing against a busy site becomes practical.",
    recommendation:
      "Issue tokens of at least 128 bits (16 bytes) from a cryptographically secure random number generator; 256 bits cost nothing extra. Remove custom id generators that truncate, hash or encode ids into fewer characters.",
    fixes: [EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR],
    references: refs([6, 330], ASVS_V7, ASVS_V11, WSTG_SCHEMA),
    retest: "`token-length` passes: the sampled tokens carry at least 128 raw bits.",
    headline: "session tokens are short enough to make guessing a live session feasible",
    action: "issuing session tokens of at least 128 random bits",
  },
  judge: lengthVerdict,
});

/** Describe the token format in a few words: `43 base64url characters after the constant prefix "sess_v1_"`. */
function describeFormat(f: Facts): string {
  const { layout } = f;
  const variable = layout.fields.filter((x) => !x.constant);
  const one = (field: (typeof variable)[number]): string => {
    const length = field.minLength === field.maxLength ? `${field.minLength}` : `${field.minLength}–${field.maxLength}`;
    return field.numeric ? `a ${length}-digit number` : `${length} ${encodingLabel(field.alphabet.name)} characters`;
  };
  let text =
    variable.length === 1
      ? one(variable[0]!)
      : `${layout.fields.length} fields separated by '${[...new Set(layout.separators)].join("")}' (${variable.map(one).join(", ")})`;
  // A number's leading digits that did not change are not a prefix worth naming.
  if (layout.prefix.length > 0 && !layout.fields[0]?.numeric) text += `, after the constant prefix "${layout.prefix}"`;
  return text;
}

function lengthVerdict(f: Facts): TokenVerdict {
  const raw = round1(f.matrix.rawBits);
  if (f.n === 0) return tokenVerdict(ID, "inconclusive", "no tokens to measure", "firm", []);
  const format = describeFormat(f);
  const constantBits = constantBitNote(f);
  const evidence = [`format: ${format}`, `raw variable bits per token: ${formatBits(raw)}`];
  if (constantBits) evidence.push(constantBits);
  if (f.n < 24) evidence.push(`only ${f.n} samples: bits that never changed are still counted as variable`);
  if (raw < f.minRawBits) {
    return tokenVerdict(
      ID,
      "vulnerable",
      `tokens carry ${formatBits(raw)} variable bits (${format}), fewer than the ${f.minRawBits} bits required`,
      "firm",
      evidence,
      { variant: "too-short", args: { rawBits: raw, minRawBits: f.minRawBits, format } },
    );
  }
  return tokenVerdict(
    ID,
    "passed",
    `tokens carry ${formatBits(raw)} variable bits (${format}), at least ${f.minRawBits}`,
    "firm",
    evidence,
  );
}

function constantBitNote(f: Facts): string | null {
  let constantBits = 0;
  for (const field of f.layout.fields) {
    if (field.constant || field.numeric || field.alphabet.bitsPerChar === null) continue;
    const counted = f.matrix.fields.find((x) => x.field === field.index)?.rawBits ?? 0;
    constantBits += field.minLength * field.alphabet.bitsPerChar - counted;
  }
  return constantBits > 0
    ? `${constantBits} bits inside variable characters never change (e.g. version or padding bits)`
    : null;
}
