/**
 * The knowledge behind every check id (SPEC §2.3): default severity, CWE and
 * OWASP ASVS 5.0 mapping, the report-template prose (description, impact,
 * likelihood, recommendations — seeds/000) and concrete fixes for
 * express-session, PHP and the sessionguard library.
 *
 * Checks report *what they observed*; the engine joins that with this
 * catalogue to build a finding, so the wording of a flaw lives in one place.
 */
import type { CheckId, PlatformFix, Severity } from "../report/model.js";

/** Everything the report says about one check id, independent of the target. */
export interface CatalogueEntry {
  /** Short finding title, e.g. "Session fixation". */
  readonly title: string;
  /** Default severity (SPEC §2.3 table); a check may override it for a milder or worse case. */
  readonly severity: Severity;
  /** CWE ids, most specific first. */
  readonly cwe: readonly number[];
  /** OWASP ASVS 5.0 requirement numbers (without the `v5.0.0-` prefix). */
  readonly asvs: readonly string[];
  /** "Description of the Vulnerability": what the flaw is and how it shows. */
  readonly description: string;
  /** "Impact": what an attacker gains and what it costs the organisation. */
  readonly impact: string;
  /** "Likelihood": what an attacker needs to exploit this particular flaw. */
  readonly likelihood: string;
  /** "Recommendations for Developers", in prose; the code is in {@link fixes}. */
  readonly recommendation: string;
  /** Configuration or code per platform: `express-session`, `php`, `sessionguard`, sometimes more. */
  readonly fixes: readonly PlatformFix[];
  /** CWE pages, OWASP cheat sheets, ASVS chapters, testing guides. */
  readonly references: readonly string[];
  /** What the re-test shows once the flaw is fixed. */
  readonly retest: string;
  /** The consequence in plain words, for the executive summary ("an attacker can …"). */
  readonly headline: string;
  /** The remedy as a short gerund phrase, for the report's closing paragraph ("issuing …"). */
  readonly action: string;
}

/** URL of a CWE entry. */
export function cweUrl(id: number): string {
  return `https://cwe.mitre.org/data/definitions/${id}.html`;
}

/** Names of the CWE entries the catalogue cites, for reference labels and SARIF tags. */
export const CWE_NAMES: Readonly<Record<number, string>> = {
  6: "J2EE Misconfiguration: Insufficient Session-ID Length",
  200: "Exposure of Sensitive Information to an Unauthorized Actor",
  307: "Improper Restriction of Excessive Authentication Attempts",
  315: "Cleartext Storage of Sensitive Information in a Cookie",
  319: "Cleartext Transmission of Sensitive Information",
  321: "Use of Hard-coded Cryptographic Key",
  326: "Inadequate Encryption Strength",
  327: "Use of a Broken or Risky Cryptographic Algorithm",
  330: "Use of Insufficiently Random Values",
  331: "Insufficient Entropy",
  340: "Generation of Predictable Numbers or Identifiers",
  347: "Improper Verification of Cryptographic Signature",
  384: "Session Fixation",
  523: "Unprotected Transport of Credentials",
  525: "Use of Web Browser Cache Containing Sensitive Information",
  539: "Use of Persistent Cookies Containing Sensitive Information",
  565: "Reliance on Cookies without Validation and Integrity Checking",
  598: "Use of GET Request Method With Sensitive Query Strings",
  602: "Client-Side Enforcement of Server-Side Security",
  613: "Insufficient Session Expiration",
  614: "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
  668: "Exposure of Resource to Wrong Sphere",
  694: "Use of Multiple Resources with Duplicate Identifier",
  770: "Allocation of Resources Without Limits or Throttling",
  799: "Improper Control of Interaction Frequency",
  1004: "Sensitive Cookie Without 'HttpOnly' Flag",
  1275: "Sensitive Cookie with Improper SameSite Attribute",
};

const CS_SESSION = "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html";
const CS_JWT = "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_Cheat_Sheet.html";
const CS_TLS = "https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html";
const CS_HSTS = "https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html";
const CS_SECRETS = "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html";
const ASVS = "https://github.com/OWASP/ASVS/blob/v5.0.0/5.0/en/";
const ASVS_V2 = `${ASVS}0x11-V2-Validation-and-Business-Logic.md`;
const ASVS_V3 = `${ASVS}0x12-V3-Web-Frontend-Security.md`;
const ASVS_V7 = `${ASVS}0x16-V7-Session-Management.md`;
const ASVS_V9 = `${ASVS}0x18-V9-Self-contained-Tokens.md`;
const ASVS_V11 = `${ASVS}0x20-V11-Cryptography.md`;
const ASVS_V12 = `${ASVS}0x21-V12-Secure-Communication.md`;
const ASVS_V13 = `${ASVS}0x22-V13-Configuration.md`;
const ASVS_V14 = `${ASVS}0x23-V14-Data-Protection.md`;
const WSTG = "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/";
const WSTG_SCHEMA = `${WSTG}06-Session_Management_Testing/01-Testing_for_Session_Management_Schema`;
const WSTG_COOKIES = `${WSTG}06-Session_Management_Testing/02-Testing_for_Cookies_Attributes`;
const WSTG_FIXATION = `${WSTG}06-Session_Management_Testing/03-Testing_for_Session_Fixation`;
const WSTG_EXPOSED = `${WSTG}06-Session_Management_Testing/04-Testing_for_Exposed_Session_Variables`;
const WSTG_LOGOUT = `${WSTG}06-Session_Management_Testing/06-Testing_for_Logout_Functionality`;
const WSTG_TIMEOUT = `${WSTG}06-Session_Management_Testing/07-Testing_Session_Timeout`;
const WSTG_JWT = `${WSTG}06-Session_Management_Testing/10-Testing_JSON_Web_Tokens`;
const MDN_SET_COOKIE = "https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie";
const PHP_SESSION_SECURITY = "https://www.php.net/manual/en/session.security.ini.php";
const EXPRESS_SESSION = "https://github.com/expressjs/session#options";

function refs(cwe: readonly number[], ...more: string[]): readonly string[] {
  return [...cwe.map(cweUrl), CS_SESSION, ...more];
}

function fix(platform: string, code: string): PlatformFix {
  return { platform, code: code.trim() };
}

// The setup every sessionguard fix starts from; the library's defaults close most rows of SPEC §2.3.
const SG_SETUP = `
import { SessionManager } from "sessionguard";
import { expressSessions } from "sessionguard/adapters/express";
import { sqliteStore } from "sessionguard/stores/sqlite";

const manager = new SessionManager({
  store: sqliteStore({ path: "/var/lib/app/sessions.db" }),
  keys: [process.env.SESSION_KEY!], // 32 random bytes, base64url: generateKey()
});
app.use(expressSessions(manager));`;

const EXPRESS_GENERATOR = fix(
  "express-session",
  `
import crypto from "node:crypto";
import session from "express-session";

app.use(session({
  secret: process.env.SESSION_SECRET,
  // Best: delete the custom genid; the default draws 24 bytes from the CSPRNG (uid-safe).
  // If ids must be generated here, use 32 CSPRNG bytes; never time, counters, Math.random or user data.
  genid: () => crypto.randomBytes(32).toString("base64url"),
  store, // a production store (Redis, PostgreSQL …), never the default MemoryStore
  resave: false,
  saveUninitialized: false,
}));`,
);

const PHP_GENERATOR = fix(
  "php",
  `
; php.ini — let PHP generate the id from the OS CSPRNG (PHP >= 7.1) and delete any
; session_id(uniqid()), session_id(md5(...)) or mt_rand()-based id in the code.
session.use_strict_mode = 1
; PHP < 8.4 only (deprecated in 8.4, whose default of 32 chars x 4 bits is 128 bits):
session.sid_length = 48
session.sid_bits_per_character = 6`,
);

const SG_GENERATOR = fix(
  "sessionguard",
  `${SG_SETUP}
// Tokens are always 32 bytes from crypto.getRandomValues (256 bits, base64url);
// there is no option to shorten them or to supply your own generator in production.`,
);

const SG_COOKIE = (cookieLine: string): PlatformFix =>
  fix(
    "sessionguard",
    `
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!],
  ${cookieLine}
});`,
  );

const NGINX_HTTPS = fix(
  "nginx",
  `
server {
  listen 80;
  server_name app.example.com;
  return 308 https://app.example.com$request_uri;   # no session cookie is ever set over HTTP
}
server {
  listen 443 ssl;
  server_name app.example.com;
  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
  # ...
}`,
);

/**
 * The catalogue: one entry per check id of SPEC §2.3, with the default
 * severity of the SPEC table. Read-only data; renderers and the engine share it.
 */
export const CATALOGUE: Readonly<Record<CheckId, CatalogueEntry>> = {
  "token-length": {
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
  "token-entropy": {
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
  "token-predictable": {
    title: "Predictable session tokens",
    severity: "critical",
    cwe: [330, 340],
    asvs: ["7.2.3", "11.5.1"],
    description:
      "The session tokens are produced by a deterministic generator — a counter, a timestamp, a hash of either, an id-plus-time pattern or a linear generator — rather than by a cryptographically secure random source. Knowing a few issued tokens is enough to compute the next ones.",
    impact:
      "An attacker can compute the tokens issued to other users and take over their sessions one after another without any interaction with the victims: full account takeover at scale, exposure of personal data, fraudulent transactions and a breach that must be reported.",
    likelihood:
      "Exploitation is straightforward and repeatable: the attacker obtains a few tokens by visiting the site, recognises the pattern (the same analysis this audit performed) and replays predicted values. No special position in the network and no victim interaction are needed, so the likelihood is very high once the pattern is known.",
    recommendation:
      "Replace the generator with a CSPRNG of at least 128 bits per token, delete every custom id scheme (counters, `uniqid()`, `md5(time())`, `Date.now()`), and flush the session store after deployment so that tokens from the predictable generator stop working.",
    fixes: [EXPRESS_GENERATOR, PHP_GENERATOR, SG_GENERATOR],
    references: refs([330, 340], ASVS_V7, ASVS_V11, WSTG_SCHEMA),
    retest:
      "`token-predictable` passes: no generator is identified and no predicted token authenticates against the target.",
    headline: "an attacker can compute other users' session tokens and take over their accounts",
    action: "replacing the predictable token generator with a cryptographically secure one",
  },
  "token-duplicate": {
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
  "token-bias": {
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
  "token-decodable": {
    title: "Readable data in the session token",
    severity: "medium",
    cwe: [315, 200],
    asvs: ["14.3.3"],
    description:
      "The session token or session cookie decodes (base64, hex, JSON or JWT claims) to readable data such as user ids, roles, e-mail addresses or timestamps. The cookie carries application state instead of an opaque random reference to server-side data.",
    impact:
      "Anyone who sees the cookie — the user, browser extensions, proxies, logs — learns the embedded personal or authorisation data. Structured content also tells an attacker which fields to tamper with and, when a timestamp or user id is part of the token, how to predict or forge it.",
    likelihood:
      "Decoding needs no skill: the cookie is visible in the browser's developer tools and standard decoders reveal the content instantly. Whether the exposure leads to a compromise depends on what is embedded and on whether the server verifies its integrity (see `state-tampering`).",
    recommendation:
      "Keep session data on the server and put only an opaque, random token in the cookie. If client-side state is unavoidable, encrypt and authenticate it (AES-GCM under a server-held key) and never include personal data or authorisation decisions.",
    fixes: [
      fix(
        "express-session",
        `
// Before: app.use(cookieSession({ keys })) — the cookie is base64 JSON anyone can read.
// After: data stays server-side; the cookie holds only a signed random id.
import session from "express-session";

app.use(session({
  secret: process.env.SESSION_SECRET,
  store, // e.g. connect-redis or connect-pg-simple
  resave: false,
  saveUninitialized: false,
}));
req.session.userId = user.id; // stored on the server, not in the cookie`,
      ),
      fix(
        "php",
        `
// Before: setcookie('user', base64_encode(json_encode(['id' => $id, 'role' => $role])));
// After: PHP's session handler keeps the data on the server; the cookie is an opaque id.
session_start();
$_SESSION['user_id'] = $id;
$_SESSION['role'] = $role;`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
req.session.role = "editor"; // sealed server-side with AES-256-GCM; the cookie is a 43-char random token`,
      ),
    ],
    references: refs([315, 200], ASVS_V14, WSTG_SCHEMA),
    retest: "`token-decodable` passes: no readable structure or claims are found in the session cookie.",
    headline: "the session cookie exposes user data that anyone holding it can read",
    action: "keeping session data on the server behind an opaque token",
  },
  "state-tampering": {
    title: "Client-side session state can be tampered with",
    severity: "critical",
    cwe: [565, 602],
    asvs: ["9.1.1", "7.2.1"],
    description:
      "Session state kept on the client (a role, a user id, a flag in a cookie or token) was modified by the auditor and the server accepted the modified value. The server trusts data it handed to the client without verifying a signature or MAC, or without checking it at all.",
    impact:
      "Any user can change their identity or privileges by editing a cookie: become an administrator, switch to another user's account, or bypass business rules. This is a direct privilege escalation and account takeover that needs no stolen credentials.",
    likelihood:
      "Exploitation requires only a browser's developer tools or an intercepting proxy and is easy to discover by inspecting cookies, so the likelihood is very high for any authenticated — or even anonymous — user.",
    recommendation:
      "Keep authorisation-relevant state (user id, roles, flags) on the server and look it up from an opaque session id. Where state must travel with the client, sign it with a server-held key (HMAC-SHA-256 or a properly verified JWT) and reject any value whose signature does not verify.",
    fixes: [
      fix(
        "express-session",
        `
// Before: if (req.cookies.role === "admin") { ... }   — the client decides its own role
// After: the role lives in the server-side session, set only after authorisation
app.post("/login", (req, res, next) => {
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.role = user.role; // from the database, never from the request
    res.redirect("/account");
  });
});
const isAdmin = (req) => req.session.role === "admin";`,
      ),
      fix(
        "php",
        `
// Before: if ($_COOKIE['role'] === 'admin') { ... }
// After: keep the role in $_SESSION (server-side) ...
$_SESSION['role'] = $user['role'];
// ... or, if a value must live in a cookie, authenticate it and compare in constant time:
$mac = hash_hmac('sha256', $value, $serverKey);
setcookie('prefs', $value . '.' . $mac, ['secure' => true, 'httponly' => true, 'samesite' => 'Lax']);
[$v, $m] = explode('.', $_COOKIE['prefs'] ?? '.', 2);
if (!hash_equals(hash_hmac('sha256', $v, $serverKey), $m)) { /* reject */ }`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// Session data is encrypted and authenticated (AES-256-GCM, bound to the session) and never sent
// to the client; a modified cookie is just an unknown token and yields an anonymous request.
req.session.role = user.role;`,
      ),
    ],
    references: refs([565, 602], ASVS_V9, ASVS_V7, WSTG_SCHEMA),
    retest: "`state-tampering` passes: modified client-side values are rejected and grant nothing.",
    headline: "users can change their own identity or privileges by editing a cookie",
    action: "keeping authorisation state on the server or verifying its signature",
  },
  "state-weak-key": {
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
        `
// Generate: node -e "import('sessionguard').then((m) => console.log(m.generateKey()))"
// A short, repeated or non-random key is refused at startup (SessionError ERR_WEAK_KEY).
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!], // add a new key in front to rotate; drop compromised keys entirely
});`,
      ),
    ],
    references: refs([321, 326], ASVS_V9, ASVS_V11, ASVS_V13, CS_SECRETS),
    retest: "`state-weak-key` passes: no wordlist entry verifies the signature of a fresh session cookie.",
    headline: "anyone can forge valid sessions for any user, because the signing key is a well-known word",
    action: "replacing the guessable signing key with a random secret held outside the code",
  },
  "jwt-alg-none": {
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
  "jwt-expiry": {
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
      fix(
        "sessionguard",
        `
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!],
  idleTimeout: "30m",     // enforced server-side on every request
  absoluteTimeout: "12h", // the cookie never outlives this deadline
});`,
      ),
    ],
    references: [cweUrl(613), CS_JWT, ASVS_V9, WSTG_JWT, "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"],
    retest: "`jwt-expiry` passes: issued tokens carry `exp` and an expired token is rejected.",
    headline: "a stolen login token never stops working",
    action: "giving every token a short, enforced expiry",
  },
  "cookie-secure": {
    title: "Session cookie without the Secure attribute",
    severity: "medium",
    cwe: [614],
    asvs: ["3.3.1"],
    description:
      "The session cookie is set without the `Secure` attribute, so the browser also sends it over plain HTTP — for example when the user follows an `http://` link, or when an attacker on the network injects a request to an `http://` URL of the site.",
    impact:
      "An attacker on the same network (public Wi-Fi, a compromised router, a malicious proxy) can capture the session token in cleartext and replay it to take over the session, even though the site itself is served over HTTPS.",
    likelihood:
      "Exploitation needs a network position between the user and the site, or the ability to make the victim's browser load any `http://` URL on the domain. This is common on public networks; with HSTS preloading the risk drops, without it the attack is reliable.",
    recommendation:
      "Set `Secure` on the session cookie (and use the `__Host-` prefix, which enforces it). Behind a TLS-terminating proxy, tell the framework to trust the proxy so that it still sets the cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.set("trust proxy", 1); // TLS terminates at the load balancer; needed for secure cookies
app.use(session({
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { secure: true, httpOnly: true, sameSite: "lax" },
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_secure = 1
session.cookie_httponly = 1
session.cookie_samesite = "Lax"`,
      ),
      fix(
        "sessionguard",
        `
// Secure is the default. Remove insecureDevelopmentCookie (it is refused when NODE_ENV=production);
// on localhost browsers accept Secure cookies over plain HTTP, so development needs no option.
const manager = new SessionManager({ store, keys: [process.env.SESSION_KEY!] });`,
      ),
    ],
    references: refs([614], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE, EXPRESS_SESSION, PHP_SESSION_SECURITY),
    retest: "`cookie-secure` passes: the session cookie is set with `Secure`.",
    headline: "the session cookie can leak over unencrypted connections",
    action: "marking the session cookie Secure",
  },
  "cookie-httponly": {
    title: "Session cookie without the HttpOnly attribute",
    severity: "medium",
    cwe: [1004],
    asvs: ["3.3.4"],
    description:
      "The session cookie lacks the `HttpOnly` attribute, so any JavaScript running in the page can read it through `document.cookie`.",
    impact:
      "A single cross-site scripting flaw anywhere on the site — or a compromised third-party script — can send the session token to an attacker, who then uses the session from their own machine, long after the victim has closed the page.",
    likelihood:
      "Exploitation requires script execution in the site's origin (XSS, a malicious dependency, a browser extension). Where such an injection exists, stealing a readable cookie is a one-line payload, so this flaw turns any XSS into a session takeover.",
    recommendation:
      "Set `HttpOnly` on the session cookie; no legitimate client code needs to read it. If the front end needs a value (for example a CSRF token), deliver that separately.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { httpOnly: true, secure: true, sameSite: "lax" }, // httpOnly is the default: remove httpOnly: false
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_httponly = 1`,
      ),
      fix(
        "sessionguard",
        `
// The session cookie is always HttpOnly; there is no option to turn it off.
// Give client code what it needs separately, e.g. the CSRF token:
res.locals.csrfToken = req.session.csrfToken();`,
      ),
    ],
    references: refs([1004], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE, EXPRESS_SESSION, PHP_SESSION_SECURITY),
    retest: "`cookie-httponly` passes: the session cookie is set with `HttpOnly`.",
    headline: "any script injected into the site can steal the session cookie",
    action: "marking the session cookie HttpOnly",
  },
  "cookie-samesite": {
    title: "Session cookie without a restrictive SameSite attribute",
    severity: "low",
    cwe: [1275],
    asvs: ["3.3.2"],
    description:
      "The session cookie has no `SameSite` attribute, an invalid value, or `SameSite=None`. Browsers may then attach it to requests that other sites trigger, such as cross-site form posts.",
    impact:
      "Another website can make the victim's browser perform authenticated actions (change e-mail, transfer funds, post content) with the victim's session — cross-site request forgery — unless every state-changing endpoint has its own CSRF protection.",
    likelihood:
      "Exploitation requires the victim to visit an attacker-controlled page while logged in and an endpoint without another CSRF defence. Modern browsers default to `Lax` when the attribute is missing, which lowers the likelihood, but `None` or older browsers leave it open.",
    recommendation:
      "Set `SameSite=Lax` (or `Strict` where cross-site navigation into a logged-in state is not needed), and keep origin checks or synchronizer tokens on state-changing requests as defence in depth.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({ secret: process.env.SESSION_SECRET, store, cookie: { sameSite: "lax", secure: true, httpOnly: true } }));`,
      ),
      fix(
        "php",
        `
; php.ini (PHP >= 7.3)
session.cookie_samesite = "Lax"`,
      ),
      SG_COOKIE('cookie: { sameSite: "lax" }, // the default; "strict" if no cross-site entry is needed'),
    ],
    references: refs(
      [1275],
      ASVS_V3,
      WSTG_COOKIES,
      "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
    ),
    retest: "`cookie-samesite` passes: the session cookie is set with `SameSite=Lax` or `Strict`.",
    headline: "other websites can trigger actions with a logged-in user's session",
    action: "setting SameSite=Lax on the session cookie",
  },
  "cookie-scope": {
    title: "Session cookie scope too broad",
    severity: "low",
    cwe: [668],
    asvs: ["3.3.3"],
    description:
      "The session cookie's `Domain` attribute is broader than the host that sets it (for example `.example.com` for `app.example.com`), is invalid, or its `Path` exposes it more widely than needed. Every host in that scope receives the cookie.",
    impact:
      "Any other application on a sibling subdomain — a marketing site, a legacy system, a user-content host — receives the session token and can leak or abuse it; a compromised or attacker-controlled subdomain can also overwrite it to fix a session.",
    likelihood:
      "Exploitation requires control of, or an XSS in, another host within the cookie's domain. Large organisations often run many subdomains of varying security, which makes this plausible.",
    recommendation:
      "Do not set `Domain` on the session cookie, so it stays host-only, keep `Path=/`, and use the `__Host-` prefix so browsers enforce both.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  name: "__Host-sid",
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { path: "/", secure: true, httpOnly: true, sameSite: "lax" }, // no domain: host-only
}));`,
      ),
      fix(
        "php",
        `
; php.ini — empty domain means host-only
session.cookie_domain =
session.cookie_path = /`,
      ),
      SG_COOKIE("// host-only by default; cookie.domain is refused with the default __Host- name"),
    ],
    references: refs([668], ASVS_V3, WSTG_COOKIES, MDN_SET_COOKIE),
    retest: "`cookie-scope` passes: the session cookie is host-only with `Path=/`.",
    headline: "other sites on the same domain receive the session cookie",
    action: "limiting the session cookie to the application's own host",
  },
  "cookie-persistent": {
    title: "Persistent session cookie",
    severity: "low",
    cwe: [539],
    asvs: ["7.3.1"],
    description:
      "The session cookie carries `Expires` or `Max-Age` longer than the idle policy, so the browser writes it to disk and keeps sending it after the browser is closed.",
    impact:
      "On shared or stolen computers the next person opening the browser continues the previous user's session, and the token can be copied from the profile on disk by malware or backups.",
    likelihood:
      "Exploitation requires access to the user's device or browser profile — shared workstations, kiosks, lost laptops, malware — which is common for some audiences (public terminals, family devices) and rare for others.",
    recommendation:
      "Issue the session cookie without `Expires`/`Max-Age` (a browser-session cookie), or with a lifetime no longer than the idle timeout, and enforce expiry on the server independently of the cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  secret: process.env.SESSION_SECRET,
  store: new RedisStore({ client, ttl: 30 * 60 }), // server-side expiry (seconds)
  cookie: { maxAge: undefined, secure: true, httpOnly: true, sameSite: "lax" }, // no maxAge: browser-session cookie
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_lifetime = 0   ; browser-session cookie
session.gc_maxlifetime = 1800`,
      ),
      SG_COOKIE(
        "cookie: { persistent: false }, // the default; with true, Max-Age never exceeds the idle/absolute deadline",
      ),
    ],
    references: refs([539], ASVS_V7, WSTG_COOKIES),
    retest: "`cookie-persistent` passes: the session cookie has no lifetime beyond `policy.maxIdle`.",
    headline: "sessions survive on disk after the browser is closed",
    action: "issuing browser-session cookies with server-side expiry",
  },
  "cookie-prefix": {
    title: "Session cookie without a __Host- prefix",
    severity: "info",
    cwe: [384],
    asvs: ["3.3.1", "3.3.3"],
    description:
      "The session cookie name has neither the `__Host-` nor the `__Secure-` prefix. Browsers only enforce the prefix rules (Secure, no Domain, Path=/) when the name carries it, so nothing stops another host or a plain-HTTP response from setting a cookie of the same name.",
    impact:
      "A sibling subdomain or a network attacker can plant a session cookie in the victim's browser (cookie tossing) and so prepare session fixation or log the victim into the attacker's account.",
    likelihood:
      "Exploitation needs a foothold on a related subdomain or a man-in-the-middle position over HTTP, and is only useful in combination with another weakness such as `fixation`; the prefix is a hardening measure.",
    recommendation:
      "Name the session cookie `__Host-…` (requires `Secure`, `Path=/` and no `Domain`); if the cookie must be shared across subdomains, use at least `__Secure-`.",
    fixes: [
      fix(
        "express-session",
        `
app.use(session({
  name: "__Host-sid",
  secret: process.env.SESSION_SECRET,
  store,
  cookie: { secure: true, path: "/", httpOnly: true, sameSite: "lax" }, // no domain
}));`,
      ),
      fix(
        "php",
        `
; php.ini
session.name = __Host-PHPSESSID
session.cookie_secure = 1
session.cookie_path = /
session.cookie_domain =`,
      ),
      SG_COOKIE(
        '// the default name is "__Host-sid"; keep it (cookie.name must stay a __Host- name to keep the guarantee)',
      ),
    ],
    references: refs(
      [384],
      ASVS_V3,
      MDN_SET_COOKIE,
      "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-cookie-name-prefixes",
    ),
    retest: "`cookie-prefix` passes: the session cookie name starts with `__Host-` (or `__Secure-`).",
    headline: "the session cookie can be overwritten from related subdomains",
    action: "naming the session cookie with the __Host- prefix",
  },
  "transport-cleartext": {
    title: "Session token sent over cleartext HTTP",
    severity: "high",
    cwe: [319],
    asvs: ["12.2.1", "3.3.1"],
    description:
      "The session token is issued or accepted over plain HTTP on a non-loopback origin. Every request and response carrying it crosses the network unencrypted.",
    impact:
      "Anyone who can observe the traffic — on the same Wi-Fi, at an ISP, in a compromised network device — reads the token and the credentials sent at login, and can take over the session or the account.",
    likelihood:
      "Passive eavesdropping needs only a position on the network path and freely available tools; on public or shared networks this is easy and undetectable.",
    recommendation:
      "Serve the whole application over HTTPS, redirect HTTP to HTTPS before any session is created, set `Secure` on the session cookie and enable HSTS.",
    fixes: [
      fix(
        "express-session",
        `
app.set("trust proxy", 1);
// Redirect before the session middleware, so no cookie is ever issued over HTTP.
app.use((req, res, next) => (req.secure ? next() : res.redirect(308, "https://app.example.com" + req.originalUrl)));
app.use(session({ secret: process.env.SESSION_SECRET, store, cookie: { secure: true, httpOnly: true, sameSite: "lax" } }));`,
      ),
      fix(
        "php",
        `
; php.ini
session.cookie_secure = 1
// before session_start(): a fixed host, never $_SERVER['HTTP_HOST'] (open redirect)
if (empty($_SERVER['HTTPS']) || $_SERVER['HTTPS'] === 'off') {
    header('Location: https://app.example.com' . $_SERVER['REQUEST_URI'], true, 308);
    exit;
}`,
      ),
      fix(
        "sessionguard",
        `
// Secure cookies are the default and the insecure development option is refused in production.
const manager = new SessionManager({ store, keys: [process.env.SESSION_KEY!] });
// Serve over HTTPS (or behind a TLS proxy) and redirect HTTP before expressSessions() runs.`,
      ),
      NGINX_HTTPS,
    ],
    references: refs([319], ASVS_V12, CS_TLS, WSTG_EXPOSED),
    retest: "`transport-cleartext` passes: no session token is issued or accepted over plain HTTP.",
    headline: "session tokens travel unencrypted and can be read on the network",
    action: "serving every session over HTTPS only",
  },
  "transport-hsts": {
    title: "HTTPS without HTTP Strict Transport Security",
    severity: "low",
    cwe: [319, 523],
    asvs: ["3.4.1"],
    description:
      "The HTTPS site does not send a `Strict-Transport-Security` header (or sends one with a short `max-age`). Browsers therefore still try plain HTTP first when the user types the address or follows an `http://` link.",
    impact:
      "A network attacker can intercept that first plain-HTTP request and keep the user on HTTP (SSL stripping), capturing credentials and, without `Secure`, the session cookie.",
    likelihood:
      "Exploitation requires an active man-in-the-middle position, such as a rogue Wi-Fi access point. It is a well-tooled attack but limited to users on a hostile network.",
    recommendation:
      "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response and consider HSTS preloading once all subdomains support HTTPS.",
    fixes: [
      fix(
        "express-session",
        `
app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}); // or helmet: app.use(helmet.hsts({ maxAge: 31536000, includeSubDomains: true }))`,
      ),
      fix(
        "php",
        `
header('Strict-Transport-Security: max-age=31536000; includeSubDomains');`,
      ),
      fix(
        "sessionguard",
        `
// sessionguard leaves transport headers to the app or the proxy; add HSTS next to expressSessions():
app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});`,
      ),
      NGINX_HTTPS,
    ],
    references: [...[319, 523].map(cweUrl), CS_HSTS, ASVS_V3, "https://hstspreload.org/"],
    retest: "`transport-hsts` passes: HTTPS responses carry HSTS with `max-age` of at least one year.",
    headline: "users can be downgraded to unencrypted connections on hostile networks",
    action: "enabling HTTP Strict Transport Security",
  },
  "id-in-url": {
    title: "Session id exposed in URLs",
    severity: "high",
    cwe: [598, 200],
    asvs: ["14.2.1"],
    description:
      "The session id appears in a URL — in links, redirects, form actions or URL rewriting such as `;jsessionid=` or `?PHPSESSID=`. URLs are stored and forwarded in many places that cookies are not.",
    impact:
      "The token leaks through browser history, bookmarks, server and proxy logs, the `Referer` header sent to third-party sites and links users copy and share; anyone who finds it can use the session. URL-borne ids also make session fixation trivial: the attacker simply sends a link.",
    likelihood:
      "High: leakage happens without any attacker action, through normal logging and referrers, and exploiting a leaked URL requires only pasting it into a browser.",
    recommendation:
      "Accept session ids only from the cookie, disable URL rewriting and transparent session ids, never place the id in links or redirects, and send `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`).",
    fixes: [
      fix(
        "express-session",
        `
// express-session reads the id only from the cookie; remove code that copies it into URLs:
res.redirect("/account"); // not res.redirect("/account?sid=" + req.sessionID)
app.use((req, res, next) => { res.setHeader("Referrer-Policy", "no-referrer"); next(); });`,
      ),
      fix(
        "php",
        `
; php.ini
session.use_only_cookies = 1
session.use_trans_sid = 0
session.use_strict_mode = 1`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// Tokens are accepted only from the cookie, never from the URL or the body; there is no option to change that.`,
      ),
    ],
    references: refs([598, 200], ASVS_V14, WSTG_EXPOSED),
    retest: "`id-in-url` passes: no URL in links, redirects or rewritten paths contains the session id.",
    headline: "session ids appear in URLs and leak through logs, history and referrers",
    action: "keeping session ids out of URLs",
  },
  "cache-sensitive": {
    title: "Authenticated responses are cacheable",
    severity: "low",
    cwe: [525],
    asvs: ["14.3.2", "14.2.2"],
    description:
      "Responses to authenticated requests carry no `Cache-Control: no-store` (or `private`) directive, so the browser — and possibly shared proxies or CDNs — may store them.",
    impact:
      "Personal pages can be read from the browser cache after logout on shared computers, or served by a shared cache to other users. Cached responses carrying `Set-Cookie` can even hand one user's session to another.",
    likelihood:
      "Exploitation needs access to a shared device after the victim, or a misconfigured shared cache in front of the application; both are occasional rather than routine.",
    recommendation:
      "Send `Cache-Control: no-store` on every authenticated response and on every response that sets a session cookie.",
    fixes: [
      fix(
        "express-session",
        `
app.use((req, res, next) => {
  if (req.session.userId !== undefined) res.setHeader("Cache-Control", "no-store");
  next();
});`,
      ),
      fix(
        "php",
        `
; php.ini — "nocache" is the default; never "public" or "private_no_expire" for logged-in pages
session.cache_limiter = nocache
// or explicitly, after session_start():
header('Cache-Control: no-store');`,
      ),
      fix(
        "sessionguard",
        `
// Responses that set the cookie already carry Cache-Control: no-store; add it for authenticated pages:
app.use((req, res, next) => {
  if (req.session.isAuthenticated) res.setHeader("Cache-Control", "no-store");
  next();
});`,
      ),
    ],
    references: refs(
      [525],
      ASVS_V14,
      "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/04-Authentication_Testing/06-Testing_for_Browser_Cache_Weaknesses",
    ),
    retest: "`cache-sensitive` passes: authenticated responses carry `Cache-Control: no-store`.",
    headline: "private pages can be stored in browser or shared caches",
    action: "marking authenticated responses as not cacheable",
  },
  fixation: {
    title: "Session fixation",
    severity: "high",
    cwe: [384],
    asvs: ["7.2.4"],
    description:
      "The session id that existed before login is still valid — and now authenticated — after login. The application upgrades the anonymous session in place instead of issuing a new id when the user authenticates.",
    impact:
      "An attacker who plants a known session id in the victim's browser (through a link, a sibling subdomain or a script) simply waits for the victim to log in and then uses the same id to act as the victim, with full access to the account.",
    likelihood:
      "Exploitation requires a way to set the victim's session cookie — an id in a URL, a cookie from a related subdomain, an XSS — and a victim who then logs in. With such a vector available the attack is reliable; without one it stays theoretical.",
    recommendation:
      "Issue a new session id at every authentication and privilege change (login, re-authentication, role change) and invalidate the old id at once; reject ids the server did not issue (strict mode).",
    fixes: [
      fix(
        "express-session",
        `
app.post("/login", async (req, res, next) => {
  const user = await authenticate(req.body.username, req.body.password);
  if (!user) return res.status(401).send("Invalid credentials");
  req.session.regenerate((err) => { // new id; the pre-login id stops working
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.save((err) => (err ? next(err) : res.redirect("/account")));
  });
});`,
      ),
      fix(
        "php",
        `
; php.ini
session.use_strict_mode = 1
// login.php, right after the password is verified:
if (password_verify($_POST['password'], $user['password_hash'])) {
    session_regenerate_id(true); // new id; true deletes the old session
    $_SESSION['user_id'] = $user['id'];
}`,
      ),
      fix(
        "sessionguard",
        `
app.post("/login", async (req, res) => {
  const user = await authenticate(req.body.username, req.body.password);
  if (!user) return res.status(401).send("Invalid credentials");
  await req.session.login(user.id); // new token, old one dead, CSRF token renewed, no planted data kept
  res.redirect("/account");
});`,
      ),
    ],
    references: refs([384], ASVS_V7, WSTG_FIXATION),
    retest: "`fixation` passes: after login the pre-login id no longer authenticates and a new id is issued.",
    headline: "an attacker can plant a session id before login and use it after the victim signs in",
    action: "issuing a new session id at every login",
  },
  "id-adoption": {
    title: "Attacker-chosen session id accepted",
    severity: "high",
    cwe: [384],
    asvs: ["7.2.3", "7.2.4"],
    description:
      'The server accepted a session id it never issued: a made-up value sent in the cookie was adopted as the id of a new session instead of being replaced by a fresh server-generated one ("permissive" session handling).',
    impact:
      "An attacker can pick the victim's session id in advance — no need to obtain one from the server first — which makes session fixation easier and lets a planted id survive server restarts and store flushes.",
    likelihood:
      "Exploitation still needs a way to set the victim's cookie; adoption removes the other obstacles. Combined with a missing id change at login (`fixation`), the attack becomes straightforward.",
    recommendation:
      "Only accept ids that exist in the session store; for any unknown id, start a new session with a freshly generated id (PHP: `session.use_strict_mode = 1`).",
    fixes: [
      fix(
        "express-session",
        `
// express-session replaces unknown ids with a new one as long as genid ignores the request:
app.use(session({
  secret: process.env.SESSION_SECRET, // cookies are signed: forged ids fail verification
  genid: () => crypto.randomBytes(32).toString("base64url"), // never (req) => req.query.sid || req.cookies.sid
  store,
}));`,
      ),
      fix(
        "php",
        `
; php.ini — reject uninitialised ids and issue a new one
session.use_strict_mode = 1
session.use_only_cookies = 1`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// An unknown, malformed or expired token yields an anonymous request and a "rejected" event; it is never adopted.`,
      ),
    ],
    references: refs([384], ASVS_V7, WSTG_FIXATION, PHP_SESSION_SECURITY),
    retest: "`id-adoption` passes: a made-up session id is replaced by a server-generated one.",
    headline: "the server accepts session ids chosen by an attacker",
    action: "accepting only session ids the server issued",
  },
  "logout-invalidation": {
    title: "Session still valid after logout",
    severity: "high",
    cwe: [613],
    asvs: ["7.4.1"],
    description:
      "After the user logs out, the old session token still authenticates requests. Logout only clears the cookie in the browser (or redirects) while the session stays alive on the server.",
    impact:
      "Anyone who obtained the token — from a shared computer, a proxy log, malware or an XSS — keeps full access after the user believes they have signed out. Users on shared devices are left exposed exactly when they think they are safe.",
    likelihood:
      "Exploitation requires a copy of the token, which many common attacks provide; once it is available, the missing server-side invalidation means the attacker keeps access until the idle or absolute timeout, if any.",
    recommendation:
      'On logout, delete the session on the server, expire the cookie (same name, path and attributes) and optionally send `Clear-Site-Data: "cookies"`. For self-contained tokens, add the token id to a deny list until its expiry.',
    fixes: [
      fix(
        "express-session",
        `
app.post("/logout", (req, res, next) => {
  req.session.destroy((err) => { // removes the session from the store
    if (err) return next(err);
    res.clearCookie("__Host-sid", { path: "/", secure: true, httpOnly: true, sameSite: "lax" });
    res.redirect("/");
  });
});`,
      ),
      fix(
        "php",
        `
$_SESSION = [];
$p = session_get_cookie_params();
setcookie(session_name(), '', ['expires' => time() - 3600, 'path' => $p['path'], 'domain' => $p['domain'],
    'secure' => $p['secure'], 'httponly' => $p['httponly'], 'samesite' => $p['samesite']]);
session_destroy(); // deletes the server-side session`,
      ),
      fix(
        "sessionguard",
        `
const manager = new SessionManager({ store, keys: [process.env.SESSION_KEY!], clearSiteData: true });
app.post("/logout", async (req, res) => {
  await req.session.logout(); // deleted server-side, cookie expired, Clear-Site-Data sent
  res.redirect("/");
});`,
      ),
    ],
    references: refs([613], ASVS_V7, WSTG_LOGOUT),
    retest: "`logout-invalidation` passes: the pre-logout token no longer authenticates.",
    headline: "logging out does not end the session on the server",
    action: "destroying sessions on the server at logout",
  },
  "credential-change-invalidation": {
    title: "Other sessions survive a password change",
    severity: "high",
    cwe: [613],
    asvs: ["7.4.3", "7.4.5"],
    description:
      "After the password was changed in one session, the user's other sessions stayed valid. The application does not end existing sessions when credentials change.",
    impact:
      "Changing the password is the first thing a user does after noticing a compromise; if it leaves the attacker's session running, the attacker keeps full access and can even change the password back or the recovery e-mail.",
    likelihood:
      "Relevant whenever an attacker already holds a session (phishing, stolen device, token theft). In that situation the flaw is certain to be exploitable, because the attacker needs to do nothing but keep using the session.",
    recommendation:
      "When a password or any authentication factor changes, end every other session of the user (or offer to), renew the current session's id, and end all sessions when an account is disabled. Provide administrators with a way to revoke a user's sessions.",
    fixes: [
      fix(
        "express-session",
        `
// A per-user credential generation: bumping it ends every session created before the change.
app.use(async (req, res, next) => {
  if (req.session.userId === undefined) return next();
  const user = await db.users.find(req.session.userId);
  if (!user || user.credVersion !== req.session.credVersion) return req.session.destroy(() => res.redirect("/login"));
  next();
});
app.post("/password", async (req, res, next) => {
  const user = await db.users.changePassword(req.session.userId, req.body.current, req.body.next); // increments credVersion
  req.session.regenerate((err) => {
    if (err) return next(err);
    Object.assign(req.session, { userId: user.id, credVersion: user.credVersion });
    res.redirect("/account");
  });
});`,
      ),
      fix(
        "php",
        `
// At login: remember the credential generation the session was created with
$_SESSION['cred_version'] = (int) $user['cred_version'];
// On every request, after loading the user:
if (($_SESSION['cred_version'] ?? -1) !== (int) $user['cred_version']) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}
// On password change: bump the generation (ends all other sessions) and renew this one
$db->prepare('UPDATE users SET cred_version = cred_version + 1 WHERE id = ?')->execute([$user['id']]);
$_SESSION['cred_version'] = (int) $user['cred_version'] + 1;
session_regenerate_id(true);`,
      ),
      fix(
        "sessionguard",
        `
app.post("/password", async (req, res) => {
  await changePassword(req.session.userId, req.body.current, req.body.next);
  await req.session.credentialsChanged(); // ends every other session of the user, renews this token
  res.redirect("/account");
});
// Account disabled, or an administrator action: end every session of the user on every device
await manager.revokeUser(userId);`,
      ),
    ],
    references: refs([613], ASVS_V7, WSTG_LOGOUT),
    retest: "`credential-change-invalidation` passes: a second session ends when the password changes in the first.",
    headline: "changing the password does not lock out someone who already stole a session",
    action: "ending all other sessions when credentials change",
  },
  "idle-timeout": {
    title: "No effective idle timeout",
    severity: "medium",
    cwe: [613],
    asvs: ["7.3.1"],
    description:
      "A session left idle for longer than the policy's idle limit was still valid. Either there is no inactivity timeout, or it is enforced only by the cookie lifetime in the browser and not by the server.",
    impact:
      "Unattended sessions — on shared computers, in a forgotten tab, or as a token stolen long ago — stay usable indefinitely, widening the window in which a stolen or abandoned session can be abused.",
    likelihood:
      "Exploitation needs access to an abandoned session or an old token. The longer the effective lifetime, the more likely that such a token surfaces in logs, backups, shared devices or malware dumps.",
    recommendation:
      "Enforce an inactivity timeout on the server (OWASP suggests 2–5 minutes for high-value applications, 15–30 minutes for low-risk ones), measured from the last request, independently of what the cookie says.",
    fixes: [
      fix(
        "express-session",
        `
const IDLE_MS = 30 * 60 * 1000;
app.use(session({ secret: process.env.SESSION_SECRET, store, rolling: true, cookie: { maxAge: IDLE_MS } }));
// Enforce on the server too: the browser's cookie expiry is not a control.
app.use((req, res, next) => {
  const now = Date.now();
  if (req.session.lastSeen !== undefined && now - req.session.lastSeen > IDLE_MS) {
    return req.session.destroy(() => res.redirect("/login"));
  }
  req.session.lastSeen = now;
  next();
});`,
      ),
      fix(
        "php",
        `
session_start();
// session.gc_maxlifetime is probabilistic garbage collection, not a timeout: check explicitly
if (isset($_SESSION['last_seen']) && time() - $_SESSION['last_seen'] > 1800) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}
$_SESSION['last_seen'] = time();`,
      ),
      fix(
        "sessionguard",
        `
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!],
  idleTimeout: "30m", // the default; enforced server-side, activity writes are throttled
});`,
      ),
    ],
    references: refs([613], ASVS_V7, WSTG_TIMEOUT),
    retest: "`idle-timeout` passes: a session idle for longer than `policy.maxIdle` no longer authenticates.",
    headline: "sessions left idle never expire",
    action: "enforcing an idle timeout on the server",
  },
  "absolute-timeout": {
    title: "No absolute session timeout",
    severity: "medium",
    cwe: [613],
    asvs: ["7.3.2"],
    description:
      "Regular activity kept a session alive past the policy's absolute limit. There is no maximum lifetime after which the user must authenticate again.",
    impact:
      "A hijacked session can be kept alive forever by an attacker who simply sends a request every few minutes, so a single token theft turns into permanent access.",
    likelihood:
      "Exploitation requires a stolen token; keeping it alive is then trivially automated. Without an absolute timeout, every past compromise stays open until the user changes their password — if that ends sessions at all.",
    recommendation:
      "Enforce an absolute session lifetime (for example 4–12 hours depending on risk) from the moment of login, on the server, regardless of activity; require re-authentication afterwards.",
    fixes: [
      fix(
        "express-session",
        `
const ABSOLUTE_MS = 12 * 60 * 60 * 1000;
// at login, inside req.session.regenerate(): req.session.authenticatedAt = Date.now();
app.use((req, res, next) => {
  const since = req.session.authenticatedAt;
  if (since !== undefined && Date.now() - since > ABSOLUTE_MS) return req.session.destroy(() => res.redirect("/login"));
  next();
});`,
      ),
      fix(
        "php",
        `
// at login, after session_regenerate_id(true):
$_SESSION['authenticated_at'] = time();
// on every request:
if (isset($_SESSION['authenticated_at']) && time() - $_SESSION['authenticated_at'] > 12 * 3600) {
    $_SESSION = []; session_destroy(); header('Location: /login'); exit;
}`,
      ),
      fix(
        "sessionguard",
        `
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!],
  absoluteTimeout: "12h", // the default; counted from login, activity cannot extend it
});`,
      ),
    ],
    references: refs([613], ASVS_V7, WSTG_TIMEOUT),
    retest: "`absolute-timeout` passes: an active session ends at `policy.maxAbsolute`.",
    headline: "an active session can be kept alive forever",
    action: "enforcing an absolute session lifetime",
  },
  "concurrent-sessions": {
    title: "Unlimited concurrent sessions",
    severity: "low",
    cwe: [770],
    asvs: ["7.1.2", "7.5.2"],
    description:
      "One account could hold more parallel sessions than the policy allows (`policy.maxConcurrentSessions`). New logins neither end older sessions nor are refused.",
    impact:
      "An attacker using stolen credentials or a stolen session can work in parallel with the legitimate user without being pushed out or noticed, and shared accounts cannot be restricted as the policy intends.",
    likelihood:
      "Relevant when credentials or tokens are already compromised or accounts are shared. The flaw does not open access by itself; it removes a signal and a limit that would otherwise contain misuse.",
    recommendation:
      "Track sessions per user, limit them according to the documented policy (evict the oldest or refuse new logins), and let users see and end their active sessions.",
    fixes: [
      fix(
        "express-session",
        `
const MAX_SESSIONS = 3;
// at login, after req.session.regenerate(): index the session per user, end the oldest beyond the limit
const key = "user-sessions:" + user.id;
await redis.zAdd(key, { score: Date.now(), value: req.sessionID });
for (const sid of await redis.zRange(key, 0, -(MAX_SESSIONS + 1))) {
  req.sessionStore.destroy(sid, () => {});
  await redis.zRem(key, sid);
}`,
      ),
      fix(
        "php",
        `
// at login, after session_regenerate_id(true): keep a hash of the id, never the id itself
$db->prepare('INSERT INTO user_sessions (user_id, sid_hash, created_at) VALUES (?, ?, ?)')
   ->execute([$uid, hash('sha256', session_id()), time()]);
$db->prepare('DELETE FROM user_sessions WHERE user_id = ? AND sid_hash NOT IN
   (SELECT sid_hash FROM (SELECT sid_hash FROM user_sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 3) AS keep)')
   ->execute([$uid, $uid]);
// on every authenticated request: an evicted session is over
$s = $db->prepare('SELECT 1 FROM user_sessions WHERE sid_hash = ?');
$s->execute([hash('sha256', session_id())]);
if (!$s->fetchColumn()) { $_SESSION = []; session_destroy(); header('Location: /login'); exit; }`,
      ),
      fix(
        "sessionguard",
        `
const manager = new SessionManager({
  store,
  keys: [process.env.SESSION_KEY!],
  maxSessionsPerUser: 3,
  sessionLimitPolicy: "evict-oldest", // or "reject": login fails with ERR_SESSION_LIMIT
});
const sessions = await manager.listSessions(userId); // for an "active sessions" page`,
      ),
    ],
    references: refs([770], ASVS_V7),
    retest: "`concurrent-sessions` passes: a login beyond the limit ends the oldest session or is refused.",
    headline: "one account can be used from any number of places at once",
    action: "limiting and listing each user's concurrent sessions",
  },
  "invalid-id-throttling": {
    title: "No throttling of invalid session ids",
    severity: "low",
    cwe: [307, 799],
    asvs: ["2.4.1"],
    description:
      "The auditor sent many invalid session ids from one client and was neither slowed down nor blocked. Nothing limits how fast an attacker can try candidate tokens.",
    impact:
      "Unlimited guessing turns any weakness in token generation (short, low-entropy or predictable tokens) into a practical session takeover, and the guessing traffic goes unnoticed.",
    likelihood:
      "On its own this is a missing safeguard: with 128-bit random tokens guessing remains infeasible. Combined with weak tokens it decides whether an attack takes hours or centuries.",
    recommendation:
      "Count requests that present unknown or malformed session ids per client (IP, network, fingerprint), slow down or block clients above a threshold, and alert on the pattern; rate-limit at the edge as well.",
    fixes: [
      fix(
        "express-session",
        `
import { rateLimit } from "express-rate-limit";

// After session(): count requests whose session cookie named no stored session.
app.use(rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 50,
  skip: (req) => !/(?:^|;\\s*)__Host-sid=/.test(req.headers.cookie ?? "") || req.session.userId !== undefined,
}));`,
      ),
      fix(
        "php",
        `
// With session.use_strict_mode = 1, PHP replaces an unknown id: count those per client (APCu)
$presented = $_COOKIE[session_name()] ?? null;
session_start();
if ($presented !== null && $presented !== session_id()) {
    $n = apcu_inc('bad-sid:' . $_SERVER['REMOTE_ADDR'], 1, $ok, 900);
    if ($n > 50) { http_response_code(429); exit; }
}`,
      ),
      fix(
        "sessionguard",
        `
// Every unknown or malformed token emits "rejected" with the client IP; block noisy clients.
const misses = new Map(); // use Redis INCR + EXPIRE with several instances; reset every window
manager.on("rejected", (event) => {
  if (event.ip !== undefined) misses.set(event.ip, (misses.get(event.ip) ?? 0) + 1);
});
app.use((req, res, next) => ((misses.get(req.ip) ?? 0) > 50 ? res.status(429).end() : next()));
// "sessionguard logs" reports clients presenting many invalid ids from the JSON-lines events.`,
      ),
    ],
    references: refs(
      [307, 799],
      ASVS_V2,
      "https://cheatsheetseries.owasp.org/cheatsheets/Bot_Management_and_Anti-Automation_Cheat_Sheet.html",
    ),
    retest: "`invalid-id-throttling` passes: a burst of invalid session ids is slowed down or blocked (429/403).",
    headline: "attackers can try session ids at full speed without being noticed",
    action: "throttling clients that present invalid session ids",
  },
};
