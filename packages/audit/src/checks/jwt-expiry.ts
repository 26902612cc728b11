import { formatDuration } from "../config/duration.js";
import type { AuditContext } from "../engine/context.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V9, CS_JWT, cweUrl, WSTG_JWT } from "./lib/references.js";
import { showClaims } from "./state/claims.js";
import { findJwtCookies, type JwtCookie } from "./state/client-state.js";
import { crackJwt, type ForgeAttempt, trySigned, tryUnsigned } from "./state/forge.js";
import type { StateOracle } from "./state/oracle.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { describeKey, targetWords } from "./state/wordlist.js";
import { type CheckOutcome, defineCheck, outcome } from "./types.js";

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
export const jwtExpiry = defineCheck({
  id: "jwt-expiry",
  phase: "state",
  catalogue: {
    title: "JWT without expiry, or expired JWT accepted",
    severity: "medium",
    cwe: [613],
    asvs: ["9.2.1", "7.3.2"],
    description:
      "The JSON Web Token used as a session either has no `exp` claim, or the server still accepted it after its `exp` time had passed. The token therefore stays valid indefinitely, whatever the session policy says.",
    impact:
      "A token stolen once — from a log, a browser, a proxy or an XSS — grants access for as long as the signing key is unchanged, typically months. Logging out or timing out does not end it, because the server keeps no state to revoke.",
    likelihood:
      "Exploitation requires obtaining one token, which is the common first step of many attacks (XSS, malware, leaked logs, shared computers). Once a token leaks, using it is trivial and unlimited in time.",
    recommendation:
      "Issue tokens with a short `exp` (minutes to hours), verify `exp` and `nbf` on every request with a small clock leeway, cap the age via `iat`, and keep a server-side deny list or a session record so that logout and revocation take effect before expiry.",
    fixes: [
      fix(
        "express + jsonwebtoken",
        `
import jwt from "jsonwebtoken";

const token = jwt.sign({ sub: user.id }, process.env.JWT_KEY, { algorithm: "HS256", expiresIn: "15m" });
// verify() rejects an expired token unless ignoreExpiration is set; maxAge also caps tokens without exp
const claims = jwt.verify(token, process.env.JWT_KEY, { algorithms: ["HS256"], maxAge: "15m", clockTolerance: 30 });`,
      ),
      fix(
        "express-session",
        `
// A server-side session ends when the server says so: idle expiry via the store TTL, logout via destroy().
app.use(session({ secret: process.env.SESSION_SECRET, store, rolling: true, cookie: { maxAge: 30 * 60 * 1000 } }));`,
      ),
      fix(
        "php",
        `
use Firebase\\JWT\\JWT;
use Firebase\\JWT\\Key;

$jwt = JWT::encode(['sub' => $userId, 'iat' => time(), 'exp' => time() + 900], $key, 'HS256');
JWT::$leeway = 30;
$claims = JWT::decode($jwt, new Key($key, 'HS256')); // throws ExpiredException after exp
if (!isset($claims->exp)) { throw new UnexpectedValueException('token without exp'); } // php-jwt accepts tokens without exp`,
      ),
      sessionguardOption(`idleTimeout: "30m",     // enforced server-side on every request
absoluteTimeout: "12h", // the cookie never outlives this deadline`),
    ],
    references: [cweUrl(613), CS_JWT, ASVS_V9, WSTG_JWT, "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"],
    retest: "`jwt-expiry` passes: issued tokens carry `exp` and an expired token is rejected.",
    headline: "a stolen login token never stops working",
    action: "giving every token a short, enforced expiry",
  },
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
            variant: "expired-accepted",
            args: { cookie: jwt.name, expiredBySeconds: EXPIRED_BY_S },
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
          variant: lifetime.problem.includes("no exp") ? "no-exp" : "lifetime-above-policy",
          args: { cookie: jwt.name },
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
});
