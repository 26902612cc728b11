import { type Facts, round1 } from "../tokens/facts.js";
import type { TokenVerdict } from "../tokens/index.js";
import { formatBits, formatCount } from "../tokens/lib/format.js";
import { EXPRESS_GENERATOR, fix, PHP_GENERATOR, SG_SETUP } from "./lib/fixes.js";
import { ASVS_V7, refs, WSTG_SCHEMA } from "./lib/references.js";
import { defineTokenCheck, tokenVerdict } from "./lib/token-check.js";

const ID = "token-duplicate";

/** `token-duplicate`: the same token is issued to two clients. */
export const tokenDuplicate = defineTokenCheck({
  id: ID,
  catalogue: {
    title: "Duplicate session tokens issued",
    severity: "high",
    cwe: [340, 694],
    asvs: ["7.2.3"],
    description:
      "The same session token was issued to two independent clients. Either the generator has so little entropy that collisions occur in a small sample, or the server hands out one shared id (for example a cached response containing `Set-Cookie`).",
    impact:
      "Two users sharing one token share one session: one user may see the other's data or act as the other, with no attack needed. An attacker who keeps requesting new sessions can collect a token that is, or will be, used by someone else.",
    likelihood:
      "A collision in a sample of a few hundred tokens means collisions are frequent in production. Exploitation needs nothing beyond requesting sessions; accidental exposure between legitimate users happens even without an attacker.",
    recommendation:
      "Generate tokens from a CSPRNG with at least 128 bits so that collisions are practically impossible, make the store reject an insert with an existing id instead of overwriting it, and never let a shared cache store responses that carry `Set-Cookie` (send `Cache-Control: no-store` with them).",
    fixes: [
      EXPRESS_GENERATOR,
      PHP_GENERATOR,
      fix(
        "sessionguard",
        `${SG_SETUP}
// 256-bit CSPRNG tokens; store.create() is an atomic insert that fails on an existing key,
// and every response that sets the cookie carries Cache-Control: no-store.`,
      ),
    ],
    references: refs([340, 694], ASVS_V7, WSTG_SCHEMA),
    retest: "`token-duplicate` passes: every sampled token is distinct.",
    headline: "the server hands out the same session token to different clients",
    action: "making every session token unique and unguessable",
  },
  judge: duplicateVerdict,
});

function duplicateVerdict(f: Facts): TokenVerdict {
  const d = f.duplicates;
  if (f.n < 2) return tokenVerdict(ID, "inconclusive", "fewer than 2 tokens: nothing to compare", "firm", []);
  if (d.repeats > 0 && d.firstPair) {
    const [a, b] = d.firstPair;
    return tokenVerdict(
      ID,
      "vulnerable",
      `${formatCount(d.repeats)} of ${formatCount(f.n)} tokens repeat an earlier one (${formatCount(d.values)} values issued more than once, one of them ${d.maxMultiplicity} times): two clients can share a session`,
      "firm",
      [
        `first repeat: samples #${a + 1} and #${b + 1}`,
        `${formatCount(d.pairs)} colliding pairs: about ${formatBits(round1(d.collisionBits ?? 0))} bits of collision entropy`,
      ],
      { variant: "repeated", args: { repeats: d.repeats, samples: f.n, maxMultiplicity: d.maxMultiplicity } },
    );
  }
  return tokenVerdict(ID, "passed", `all ${formatCount(f.n)} tokens are distinct`, "firm", []);
}
