import type { AuditContext } from "../engine/context.js";
import { fix, SG_IMPORTS } from "./lib/fixes.js";
import { ASVS_V9, ASVS_V11, ASVS_V13, CS_SECRETS, refs } from "./lib/references.js";
import { maskClaims, PROBE_USER, showClaims, type TamperPlan, tamperPlans } from "./state/claims.js";
import { type CrackedKey, findSignedCookies, type SignedCookieState, tryKey } from "./state/client-state.js";
import type { CookieEdit, Trial } from "./state/oracle.js";
import { type Rebuilt, rebuild } from "./state/rebuild.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, type StateSession, stateSession } from "./state/setup.js";
import { hmacSignature, keygripData } from "./state/signed-cookie.js";
import { describeKey, type FoundSecret, findSecret, targetWords, WEAK_SECRETS } from "./state/wordlist.js";
import { type CheckOutcome, defineCheck, outcome } from "./types.js";

function schemeText(cookie: SignedCookieState, key: CrackedKey): string {
  const where =
    cookie.scheme === "keygrip"
      ? `its companion cookie ${cookie.name}.sig`
      : cookie.scheme === "jwt"
        ? "the JWT signature"
        : `its ${cookie.scheme} signature`;
  return `${where}, ${key.algorithm}`;
}

interface Forgery {
  readonly edit: CookieEdit;
  readonly rebuilt: Rebuilt;
  readonly recipe: Rebuilt;
  readonly extra: string | undefined;
}

/** A forged cookie (and keygrip companion) carrying the plan's claims, signed with the recovered key. */
function forge(cookie: SignedCookieState, key: CrackedKey, plan: TamperPlan): Forgery | null {
  const state = cookie.state;
  if (state === null) return null;
  const mode = { signature: { mode: "sign" as const, signer: key.signer } };
  const rebuilt = rebuild(state.chain, plan.claims, mode);
  const recipe = rebuild(state.chain, maskClaims(plan.claims), mode);
  if (rebuilt === null || recipe === null) return null;
  if (cookie.scheme !== "keygrip" || key.variant === null) {
    return { edit: { [cookie.name]: rebuilt.value }, rebuilt, recipe, extra: undefined };
  }
  // keygrip signs "<name>=<value>" into the companion cookie; the value itself stays plain.
  const signature = hmacSignature(key.variant, key.secret, keygripData(cookie.name, rebuilt.value));
  const companionJs = key.signer.js;
  return {
    edit: { [cookie.name]: rebuilt.value, [`${cookie.name}.sig`]: signature },
    rebuilt,
    recipe,
    extra: `KEY='<RECOVERED_KEY>' node -e 'console.log((${companionJs})("${cookie.name}="+process.argv[1]))' '<TAMPERED_COOKIE>'   # 2b. prints <TAMPERED_SIGNATURE> for ${cookie.name}.sig`,
  };
}

async function exploit(
  context: AuditContext,
  session: StateSession,
  cookie: SignedCookieState,
  found: FoundSecret,
  key: CrackedKey,
): Promise<CheckOutcome> {
  const names = jarNames(session);
  const keyText = describeKey(found);
  const evidence = [
    `${cookie.name}${cookie.session ? " (the session cookie)" : ""}: signed with ${schemeText(cookie, key)}`,
    `the key verifies the cookie's own signature: ${keyText}, found after ${found.tried} candidates`,
  ];
  const trials: Trial[] = [];
  const state = cookie.state;
  if (state !== null) {
    evidence.push(`${describeChain(state.chain)}; decoded claims: ${showClaims(state.claims)}`);
    for (const plan of tamperPlans(state.claims, state.fields)) {
      const forged = forge(cookie, key, plan);
      if (forged === null) continue;
      const trial = await session.oracle.trial(forged.edit, plan, cookie.name);
      trials.push(trial);
      if (trial.verdict !== "accepted") continue;
      return outcome.vulnerable(
        `the ${cookie.name} cookie is signed with a well-known key, ${keyText}: a value forged with it (${plan.summary}) was accepted by ${context.config.authCheck?.url}, which ${plan.kind === "identity" ? `named the probe user ${PROBE_USER}` : "showed the raised role"}`,
        {
          variant: "forged-accepted",
          args: { cookie: cookie.name, scheme: cookie.scheme, algorithm: key.algorithm },
          confidence: "confirmed",
          evidence: [
            ...evidence,
            `forged: ${plan.summary}, re-signed with the recovered key`,
            requestLine(context, names, forged.edit, trial.summary),
          ],
          reproduce: reproduceSteps(context, {
            rebuilt: forged.recipe,
            names,
            edited: forged.edit,
            keyed: true,
            expect: plan.kind === "identity" ? `the page shows ${PROBE_USER}` : "the page shows the admin role",
            ...(forged.extra === undefined ? {} : { extra: forged.extra }),
          }),
        },
      );
    }
  }
  const tested =
    trials.length === 0
      ? state === null
        ? "the signed value is an opaque id, so no forged state was sent"
        : "no forgeable identity or role field was found"
      : `forged values were ${trials.every((t) => t.verdict === "rejected") ? "refused" : "not reflected"} by ${context.config.authCheck?.url} (${trials.map((t) => t.summary).join("; ")})`;
  return outcome.vulnerable(
    `the ${cookie.name} cookie is signed with a well-known key, ${keyText}: anyone can sign values the server will verify as its own; ${tested}`,
    {
      variant: "key-recovered",
      args: { cookie: cookie.name, scheme: cookie.scheme, algorithm: key.algorithm },
      confidence: "firm",
      evidence,
      reproduce: [
        `# verify offline: the recovered key <RECOVERED_KEY> reproduces the signature of your own ${cookie.name} cookie (${key.algorithm})`,
        `KEY='<RECOVERED_KEY>' node -e 'console.log((${key.signer.js})(process.argv[1]))' '<SIGNED_DATA>'   # equals the signature part of <${cookie.name.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}>`,
      ],
    },
  );
}

/**
 * `state-weak-key` (SPEC §2.3): the key that signs the session cookie or JWT
 * was recovered from the bundled wordlist. Offline and fast: every signed
 * cookie (HS256/384/512 JWTs, express `s:` cookies, itsdangerous/Flask, Rails
 * `--`, generic `payload.signature`, keygrip `.sig` companions) is checked
 * against ~370 well-known keys plus a few derived from the target's names.
 * A recovered key is then used to forge a tampered value, and the oracle
 * decides between `confirmed` (accepted) and `firm` (key verified offline).
 */
export const stateWeakKey = defineCheck({
  id: "state-weak-key",
  phase: "state",
  catalogue: {
    title: "Session signing key recovered from a wordlist",
    severity: "critical",
    cwe: [321, 326],
    asvs: ["9.1.1", "11.2.3", "13.3.1"],
    description:
      "The key that signs the session cookie or JWT was found in a list of common and default secrets (for example `keyboard cat`, `secret`, `changeme` or a framework's sample key). The signature therefore proves nothing: anybody can produce a valid one offline.",
    impact:
      "With the key an attacker forges session cookies or tokens for any user id and role, including administrators, without ever logging in. Every account is exposed, and sessions signed with the old key cannot be distinguished from forged ones.",
    likelihood:
      "Very high: one captured cookie is enough to test a wordlist offline with tools such as hashcat or jwt_tool in seconds, without any request to the server that could be detected.",
    recommendation:
      "Generate a new key of at least 256 random bits, load it from a secret manager or environment variable (never from source code), and do not keep the compromised key in the verification list — all sessions signed with it must end. Rotate keys on a schedule.",
    fixes: [
      fix(
        "express-session",
        `
// Generate once: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"
// Do NOT keep the old key as a second secret: cookies it signed may be forged.
app.use(session({
  secret: process.env.SESSION_SECRET, // from the secret manager, at least 32 random bytes
  store,
  resave: false,
  saveUninitialized: false,
}));`,
      ),
      fix(
        "php",
        `
// firebase/php-jwt — generate once: php -r 'echo base64_encode(random_bytes(32)), PHP_EOL;'
// (Laravel: php artisan key:generate; Symfony: a new APP_SECRET)
use Firebase\\JWT\\JWT;
use Firebase\\JWT\\Key;

$key = base64_decode(getenv('JWT_SIGNING_KEY'), true);
$jwt = JWT::encode($claims, $key, 'HS256');
$claims = JWT::decode($jwt, new Key($key, 'HS256'));`,
      ),
      fix(
        "sessionguard",
        `${SG_IMPORTS}

// Generate a key once: node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"
// A short, repeated or non-random key is refused at startup (SessionError ERR_WEAK_KEY).
const manager = new SessionManager({
  store: sqliteStore({ path: "/var/lib/app/sessions.db" }),
  // To rotate, put the new key in front: [newKey, oldKey]. Drop a compromised key entirely.
  keys: [process.env.SESSION_KEY],
});
app.use(expressSessions(manager));`,
      ),
    ],
    references: refs([321, 326], ASVS_V9, ASVS_V11, ASVS_V13, CS_SECRETS),
    retest: "`state-weak-key` passes: no wordlist entry verifies the signature of a fresh session cookie.",
    headline: "anyone can forge valid sessions for any user, because the signing key is a well-known word",
    action: "replacing the guessable signing key with a random secret held outside the code",
  },
  async run(context): Promise<CheckOutcome> {
    const session = await stateSession(context, "the signing-key test");
    if (isOutcome(session)) return session;
    const signed = findSignedCookies(session.login.jar, context.discovery.sessionCookie);
    if (signed.length === 0) {
      return outcome.notApplicable(
        "no signed client-side state: no cookie of the logged-in session carries an HMAC signature or an HS256/384/512 JWT",
      );
    }
    const extra = targetWords(
      context.config.target.hostname,
      session.login.jar.all().map((c) => c.name),
    );
    let weakest: CheckOutcome | null = null;
    for (const cookie of signed) {
      const found = findSecret((secret) => tryKey(cookie, secret) !== null, extra);
      const key = found === null ? null : tryKey(cookie, found.secret);
      if (found === null || key === null) continue;
      const result = await exploit(context, session, cookie, found, key);
      if (result.confidence === "confirmed") return result;
      weakest ??= result;
    }
    if (weakest !== null) return weakest;
    const names = signed.map((c) => `${c.name} (${c.scheme === "jwt" ? c.jwtAlg : c.scheme})`).join(", ");
    return outcome.passed(
      `no key in the bundled wordlist (${WEAK_SECRETS.length} well-known values, plus ${extra.length} derived from the target's names) verifies the signature of ${names}`,
    );
  },
});
