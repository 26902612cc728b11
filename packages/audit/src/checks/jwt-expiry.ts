import { formatDuration } from "../config/duration.js";
import type { AuditContext } from "../engine/context.js";
import { showClaims } from "./state/claims.js";
import { findJwtCookies, type JwtCookie } from "./state/client-state.js";
import { crackJwt, type ForgeAttempt, trySigned, tryUnsigned } from "./state/forge.js";
import type { StateOracle } from "./state/oracle.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { describeKey, targetWords } from "./state/wordlist.js";
import { type Check, type CheckOutcome, outcome } from "./types.js";

/** How far in the past the forged `exp` lies: well beyond any clock-skew leeway (typically ≤ 5 min). */
const EXPIRED_BY_S = 3600;

/** What the token's own claims say about its lifetime. */
interface Lifetime {
  /** The problem in words, or `null` when `exp` is present and within policy. */
  readonly problem: string | null;
  /** A neutral description for a passing result. */
  readonly description: string;
}

function lifetimeOf(jwt: JwtCookie, policyMs: number, nowS: number): Lifetime {
  const exp = jwt.claims["exp"];
  if (typeof exp !== "number" || !Number.isFinite(exp)) {
    return {
      problem: `the ${jwt.name} JWT has no exp claim, so it never expires by itself (policy.maxAbsolute is ${formatDuration(policyMs)})`,
      description: "",
    };
  }
  const iat = jwt.claims["iat"];
  const hasIat = typeof iat === "number" && Number.isFinite(iat);
  const from = hasIat ? iat : nowS;
  const lifetimeMs = (exp - from) * 1000;
  // Tolerance for rounding: a token minted for exactly the policy window plus a few seconds is not a finding.
  const slack = Math.max(5 * 60_000, policyMs * 0.1);
  const at = new Date(exp * 1000).toISOString();
  if (lifetimeMs > policyMs + slack) {
    return {
      problem: `the ${jwt.name} JWT is valid for ${formatDuration(lifetimeMs)} (exp ${at}${hasIat ? ", counted from iat" : ", counted from now"}), ${formatDuration(lifetimeMs - policyMs)} beyond policy.maxAbsolute (${formatDuration(policyMs)})`,
      description: "",
    };
  }
  return {
    problem: null,
    description: `the ${jwt.name} JWT expires ${formatDuration(lifetimeMs)} after ${hasIat ? "its iat" : "now"} (exp ${at}), within policy.maxAbsolute (${formatDuration(policyMs)})`,
  };
}

/** The claims with `exp` (and `iat`/`nbf` when present, to stay consistent) moved into the past. */
function expiredClaims(jwt: JwtCookie, nowS: number): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...jwt.claims, exp: nowS - EXPIRED_BY_S };
  if ("iat" in claims) claims["iat"] = nowS - 2 * EXPIRED_BY_S;
  if ("nbf" in claims) claims["nbf"] = nowS - 2 * EXPIRED_BY_S;
  return claims;
}

/** The result of trying to forge an expired copy of a token. */
interface ExpiredTest {
  /** How forging was possible (`alg "none" accepted`, `key recovered: …`), or why not. */
  readonly via: string | null;
  readonly attempt: ForgeAttempt | null;
  readonly keyed: boolean;
}

async function forgeExpired(
  context: AuditContext,
  oracle: StateOracle,
  jwt: JwtCookie,
  nowS: number,
): Promise<ExpiredTest> {
  const expired = expiredClaims(jwt, nowS);
  const key = crackJwt(
    jwt,
    targetWords(
      context.config.target.hostname,
      oracle.jar.all().map((c) => c.name),
    ),
  );
  if (key !== null) {
    const attempt = await trySigned(oracle, jwt, key, expired);
    return { via: `re-signed with the recovered key ${describeKey(key.found)}`, attempt, keyed: true };
  }
  // Only when an unsigned token with live claims is accepted does refusing an expired one prove anything.
  const live = await tryUnsigned(oracle, jwt);
  const accepted = live.find((a) => a.trial.verdict === "accepted");
  if (accepted?.spelling == null) return { via: null, attempt: null, keyed: false };
  const [attempt] = await tryUnsigned(oracle, jwt, expired, [accepted.spelling]);
  return {
    via: `sent unsigned with "alg": "${accepted.spelling}", which the server accepts`,
    attempt: attempt ?? null,
    keyed: false,
  };
}

/**
 * `jwt-expiry` (SPEC §2.3): a JWT has no `exp`, an `exp` far beyond
 * `policy.maxAbsolute`, or an expired JWT is accepted. The claims are read
 * offline; when the auditor can forge tokens (a key from the wordlist, or
 * `alg: none` accepted) it sends a copy whose `exp` passed an hour ago and
 * lets the oracle confirm whether the server checks `exp` at all.
 */
export const jwtExpiry: Check = {
  id: "jwt-expiry",
  phase: "state",
  async run(context): Promise<CheckOutcome> {
    const session = await stateSession(context, "the JWT expiry test");
    if (isOutcome(session)) return session;
    const jwts = findJwtCookies(session.login.jar, context.discovery.sessionCookie);
    if (jwts.length === 0) return outcome.notApplicable("no JWT in the cookies of the logged-in session");
    const policyMs = context.config.policy.maxAbsoluteMs;
    const names = jarNames(session);
    let firm: CheckOutcome | null = null;
    const fine: string[] = [];
    for (const jwt of jwts) {
      const nowS = Math.floor(Date.now() / 1000);
      const lifetime = lifetimeOf(jwt, policyMs, nowS);
      const test = await forgeExpired(context, session.oracle, jwt, nowS);
      const evidence = [
        `${jwt.name}${jwt.session ? " (the session cookie)" : ""}: ${describeChain(jwt.chain)}, header ${JSON.stringify(jwt.header)}`,
        `decoded claims: ${showClaims(jwt.claims)}`,
      ];
      const verdict = test.attempt?.trial.verdict;
      if (test.attempt !== null && verdict === "accepted") {
        const edit = { [jwt.name]: test.attempt.value.value };
        return outcome.vulnerable(
          `an expired ${jwt.name} JWT was accepted by ${context.config.authCheck?.url}: the server does not check exp (the forged copy's exp lay ${formatDuration(EXPIRED_BY_S * 1000)} in the past; it was ${test.via})${lifetime.problem === null ? "" : `; besides, ${lifetime.problem}`}`,
          {
            confidence: "confirmed",
            evidence: [
              ...evidence,
              `sent exp=${Number(expiredClaims(jwt, nowS)["exp"])} (${new Date((nowS - EXPIRED_BY_S) * 1000).toISOString()})${test.attempt.plan === null ? "" : `, ${test.attempt.plan.summary} to prove the token was used`}`,
              requestLine(context, names, edit, test.attempt.trial.summary),
            ],
            reproduce: reproduceSteps(context, {
              rebuilt: test.attempt.recipe,
              names,
              edited: edit,
              keyed: test.keyed,
              expect: "the expired token is still accepted",
            }),
          },
        );
      }
      const refused =
        test.attempt !== null && verdict === "rejected"
          ? `; a forged copy whose exp had passed was refused (it was ${test.via}), so exp is checked when present`
          : test.attempt === null
            ? "; whether an expired token is refused was not tested (no way to forge one: the key is strong and alg none is refused)"
            : "";
      if (lifetime.problem !== null) {
        firm ??= outcome.vulnerable(`${lifetime.problem}${refused}`, {
          confidence: "firm",
          evidence,
          reproduce: [
            `node -e 'const t=process.argv[1].split(".")[1];console.log(JSON.parse(Buffer.from(t,"base64url")))' '<${jwt.name.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}_JWT>'   # shows the claims: ${lifetime.problem.includes("no exp") ? "no exp" : "a distant exp"}`,
          ],
        });
        continue;
      }
      fine.push(`${lifetime.description}${refused}`);
    }
    if (firm !== null) return firm;
    return outcome.passed(fine.join("; "));
  },
};
