import { PROBE_USER, showClaims } from "./state/claims.js";
import { findJwtCookies, type JwtCookie } from "./state/client-state.js";
import { type ForgeAttempt, tryUnsigned } from "./state/forge.js";
import { NONE_SPELLINGS } from "./state/jwt.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { type Check, type CheckOutcome, outcome } from "./types.js";

/**
 * `jwt-alg-none` (SPEC §2.3): a JWT with `alg: none` and no signature is
 * accepted. Each JWT cookie is re-encoded with the header
 * `{"alg":"none","typ":"JWT"}` (then `None`, `NONE`) and an empty signature,
 * its identity changed to a probe user; acceptance must show on the oracle
 * page (or, for a token without identity claims, the token must carry the
 * session alone).
 */
export const jwtAlgNone: Check = {
  id: "jwt-alg-none",
  phase: "state",
  async run(context): Promise<CheckOutcome> {
    const session = await stateSession(context, "the alg-none test");
    if (isOutcome(session)) return session;
    const jwts = findJwtCookies(session.login.jar, context.discovery.sessionCookie);
    if (jwts.length === 0) return outcome.notApplicable("no JWT in the cookies of the logged-in session");
    const names = jarNames(session);
    const all: Array<{ jwt: JwtCookie; attempt: ForgeAttempt }> = [];
    for (const jwt of jwts) {
      const attempts = await tryUnsigned(session.oracle, jwt);
      for (const attempt of attempts) all.push({ jwt, attempt });
      const hit = attempts.find((a) => a.trial.verdict === "accepted");
      if (hit === undefined) continue;
      const edit = { [jwt.name]: hit.value.value };
      const proof =
        hit.plan === null
          ? `the token alone carries the session and ${context.config.authCheck?.url} still answered as authenticated`
          : hit.plan.kind === "identity"
            ? `${context.config.authCheck?.url} answered as the probe user ${PROBE_USER} (${hit.plan.summary})`
            : `${context.config.authCheck?.url} showed the raised role (${hit.plan.summary})`;
      return outcome.vulnerable(
        `the ${jwt.name} JWT was accepted unsigned: re-encoded with "alg": "${hit.spelling ?? "none"}" and an empty signature, ${proof}`,
        {
          confidence: "confirmed",
          evidence: [
            `${jwt.name}${jwt.session ? " (the session cookie)" : ""}: ${describeChain(jwt.chain)}, header ${JSON.stringify(jwt.header)}`,
            `decoded claims: ${showClaims(jwt.claims)}`,
            `sent header {"alg":"${hit.spelling ?? "none"}","typ":"JWT"}, empty signature${hit.plan === null ? "" : `, ${hit.plan.summary}`}`,
            requestLine(context, names, edit, hit.trial.summary),
          ],
          reproduce: reproduceSteps(context, {
            rebuilt: hit.recipe,
            names,
            edited: edit,
            keyed: false,
            expect: hit.plan?.kind === "identity" ? `the page shows ${PROBE_USER}` : "still authenticated",
          }),
        },
      );
    }
    const unknown = all.find((a) => a.attempt.trial.verdict === "unknown");
    if (unknown !== undefined) {
      return outcome.inconclusive(
        `the oracle could not tell whether the unsigned ${unknown.jwt.name} token was accepted (${unknown.attempt.trial.summary})`,
      );
    }
    const unprovable = all.filter((a) => a.attempt.plan === null && a.attempt.trial.verdict === "ignored");
    if (unprovable.length > 0 && unprovable.length === all.length) {
      return outcome.inconclusive(
        `the ${[...new Set(unprovable.map((a) => a.jwt.name))].join(", ")} JWT names no user and does not carry the session alone, so whether an unsigned copy is accepted cannot be observed`,
      );
    }
    const cookies = [...new Set(all.map((a) => a.jwt.name))].join(", ");
    return outcome.passed(
      `unsigned copies of ${cookies} ("alg": ${NONE_SPELLINGS.map((s) => `"${s}"`).join("/")}, empty signature) were refused or ignored by ${context.config.authCheck?.url}`,
    );
  },
};
