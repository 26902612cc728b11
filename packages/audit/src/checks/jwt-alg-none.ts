import { fix, SG_SETUP } from "./lib/fixes.js";
import { ASVS_V9, CS_JWT, cweUrl, WSTG_JWT } from "./lib/references.js";
import { PROBE_USER, showClaims } from "./state/claims.js";
import { findJwtCookies, type JwtCookie } from "./state/client-state.js";
import { type ForgeAttempt, tryUnsigned } from "./state/forge.js";
import { NONE_SPELLINGS } from "./state/jwt.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { type CheckOutcome, defineCheck, outcome } from "./types.js";

/**
 * `jwt-alg-none` (SPEC §2.3): a JWT with `alg: none` and no signature is
 * accepted. Each JWT cookie is re-encoded with the header
 * `{"alg":"none","typ":"JWT"}` (then `None`, `NONE`) and an empty signature,
 * its identity changed to a probe user; acceptance must show on the oracle
 * page (or, for a token without identity claims, the token must carry the
 * session alone).
 */
export const jwtAlgNone = defineCheck({
  id: "jwt-alg-none",
  phase: "state",
  catalogue: {
    title: "JWT accepted with alg: none",
    severity: "critical",
    cwe: [347, 327],
    asvs: ["9.1.1", "9.1.2"],
    description:
      'The application accepted a JSON Web Token whose header says `"alg": "none"` and whose signature is empty. The verifying library takes the algorithm from the token itself instead of from a server-side allowlist.',
    impact:
      "An attacker can write any claims — another user's `sub`, an administrator role, a distant expiry — remove the signature and be accepted. This is a complete authentication bypass for every account.",
    likelihood:
      "Very high: the attack is well known, documented in every JWT testing guide and automated by common tools; it needs only one token to copy the claim structure from.",
    recommendation:
      "Verify every token with an explicit allowlist of algorithms (for example only `HS256` or only `ES256`) and a key chosen by the server, never by the token header. Reject tokens with `alg: none`. For browser sessions, prefer an opaque server-side session over a JWT.",
    fixes: [
      fix(
        "express + jsonwebtoken",
        `
import jwt from "jsonwebtoken";

const claims = jwt.verify(token, process.env.JWT_KEY, {
  algorithms: ["HS256"], // server-side allowlist; "none" and unexpected algorithms are rejected
});`,
      ),
      fix(
        "express-session",
        `
// For browser sessions, replace the JWT with a server-side session: nothing to sign, nothing to forge.
app.use(session({ secret: process.env.SESSION_SECRET, store, resave: false, saveUninitialized: false }));`,
      ),
      fix(
        "php",
        `
// firebase/php-jwt >= 6: the Key object pins the algorithm; the token header cannot choose it.
use Firebase\\JWT\\JWT;
use Firebase\\JWT\\Key;

$claims = JWT::decode($jwt, new Key($key, 'HS256'));`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// sessionguard issues opaque random tokens, not JWTs: there is no algorithm header to downgrade.`,
      ),
    ],
    references: [...[347, 327].map(cweUrl), CS_JWT, ASVS_V9, WSTG_JWT, "https://www.rfc-editor.org/rfc/rfc8725"],
    retest: '`jwt-alg-none` passes: a token re-signed with `"alg": "none"` is rejected.',
    headline: "anyone can forge a login token for any account by removing its signature",
    action: "verifying tokens against a fixed algorithm allowlist",
  },
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
          variant: "unsigned-accepted",
          args: { cookie: jwt.name, alg: hit.spelling ?? "none" },
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
});
