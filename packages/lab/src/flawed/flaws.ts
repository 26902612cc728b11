import { LabUsageError } from "../errors.js";

/**
 * The flaws the lab can plant, one home for each: its check id (SPEC §2.3,
 * in the order of the spec's table) and one line on how the flawed app gets
 * it wrong, in terms an auditor can check black-box over HTTP. The session
 * cookie is `__Host-sid` unless a line says otherwise; client-side state
 * lives in the `profile` and `token` cookies, which the app only issues when
 * a state or JWT flaw is planted. Each one, planted alone with `--flaws ID`,
 * makes the flawed app show that flaw and nothing else an auditor flags
 * above `info`. The auditor's tests check these ids against its check
 * registry (every check id is here or in {@link UNPLANTABLE_FLAWS}).
 */
export const FLAW_DESCRIPTIONS = {
  "token-length":
    "session ids are 24 random hex characters (96 bits, below 128) — long enough to keep the estimated entropy above 64 bits and free of birthday duplicates in a 20 000-sample run",
  "token-entropy":
    "session ids are md5(String(n)) of a sequence number n = 1, 2, 3, …, a dash, and 8 hex digits (32 bits) from Math.random(): 160 variable bits, not predictable as a whole, but once the md5 field is recognised about 32 bits of effective entropy",
  "token-predictable":
    "session ids are md5(String(n)) in hex for a global counter n = 1, 2, 3, … (+1 per issued id); other generators via the `predictable` option or SESSIONGUARD_LAB_PREDICTABLE (sha1-counter, sha256-counter, md5-time, counter-millis, lcg)",
  "token-duplicate":
    "an off-by-one in a batch-refilled id pool hands every 32nd new session the previous id again, so two clients that ask in a row share one id (ids are otherwise 32 random bytes, base64url; a signed-in session is never handed out twice)",
  "token-bias":
    "session ids are 32 bytes in hex, each drawn from 0-191 instead of 0-255 (a range bug), so every other hex character is 0-b, never c-f: a skewed, not a constant, high nibble (256 variable bits, 128 of them sound)",
  "token-decodable":
    'session ids are base64url(JSON).base64url(32 random bytes); the JSON reads {"user":null,"role":"guest"} before login and {"user":"alice","role":"user","email":"alice@example.com"} after',
  "state-tampering":
    'login sets an unsigned cookie `profile` = base64 of {"user":"alice","role":"user"}; /account trusts it for the name and role it shows (needs a live session too)',
  "state-weak-key":
    "client-side state is signed with the key `secret`: the `profile` cookie in cookie-signature form s:<base64url JSON>.<base64 HMAC-SHA256> (URL-encoded as express does), and the `token` JWT (HS256) when one is issued",
  "jwt-alg-none":
    "login sets a JWT cookie `token` (HS256, strong random key) that /account also accepts with alg none and any (e.g. empty) signature; /account shows its subject",
  "jwt-expiry":
    "login sets a JWT cookie `token` (HS256, strong random key) without an exp claim, and the server never checks exp",
  "cookie-secure":
    "the session cookie has no Secure attribute; as __Host- requires Secure, it is named `sid` (so cookie-prefix, info, shows too)",
  "cookie-httponly": "the session cookie has no HttpOnly attribute",
  "cookie-samesite":
    "the session cookie says SameSite=None (with Secure); when cookie-secure is planted too, SameSite is omitted instead because browsers reject None without Secure",
  "cookie-scope":
    "the session cookie carries Domain=<parent of the request host> (Domain=localhost on localhost, the address itself on an IP host): no longer host-only; as __Host- forbids Domain, it is named `sid` (so cookie-prefix, info, shows too)",
  "cookie-persistent": "the session cookie carries Max-Age=2592000 (30 days) and a matching Expires",
  "cookie-prefix": "the session cookie is named `sid` instead of `__Host-sid`; its attributes stay secure",
  "id-in-url":
    "login redirects to /account?sid=<session id>, the account page's links carry it, and every route accepts the id from the sid query parameter when no cookie is sent",
  "cache-sensitive": "responses that set no cookie carry no Cache-Control, so /account (authenticated) is cacheable",
  fixation: "login keeps the pre-login session id (no rotation); the pre-login cookie is authenticated afterwards",
  "id-adoption":
    "a well-formed but never-issued id ([A-Za-z0-9._~,-]{8,256}) sent by the client starts a session under that id on GET /, GET /login and POST /login (no Set-Cookie replaces it), and login keeps an adopted id (the layer regenerates only ids it minted), so whoever chose the id shares the signed-in session; server-issued ids still rotate at login",
  "logout-invalidation": "logout only expires the cookie; the server-side session stays valid",
  "credential-change-invalidation": "a password change leaves the user's other sessions valid",
  "idle-timeout": "no idle timeout: only the absolute timeout (--absolute) ends a session",
  "absolute-timeout": "no absolute timeout: activity within --idle keeps a session alive forever",
  "concurrent-sessions": "no limit on concurrent sessions per user (the secure app keeps the newest 3)",
  "invalid-id-throttling":
    "no throttling: unknown session ids are answered normally however many one client sends (the secure app answers 429 for 60 s after more than 20 distinct unknown ids in 60 s)",
} as const satisfies Readonly<Record<string, string>>;

/** The check ids the lab can plant, in the order of SPEC §2.3 (the keys of {@link FLAW_DESCRIPTIONS}). */
export const PLANTABLE_FLAWS = Object.keys(FLAW_DESCRIPTIONS) as readonly PlantableFlaw[];

/** One of {@link PLANTABLE_FLAWS}. */
export type PlantableFlaw = keyof typeof FLAW_DESCRIPTIONS;

/** A set of planted flaws; every flaw not in it is off. */
export type FlawSet = ReadonlySet<PlantableFlaw>;

/**
 * Check ids of SPEC §2.3 that exist but cannot be planted, with the reason
 * (shown when someone asks for them with `--flaws`):
 * - `transport-cleartext` is defined for non-loopback origins only (loopback is
 *   a secure context, SPEC §2.2), and the lab refuses to bind anything but
 *   loopback because it is deliberately vulnerable.
 * - `transport-hsts` needs an HTTPS target; the lab speaks plain HTTP.
 */
export const UNPLANTABLE_FLAWS: Readonly<Record<string, string>> = {
  "transport-cleartext":
    "it is defined for non-loopback origins only, and the lab binds loopback only (loopback is a secure context)",
  "transport-hsts": "it needs an HTTPS target and the lab speaks plain HTTP",
};

/**
 * Token flaws that change the session-id generator, strongest first. Only one
 * generator can issue the ids: when several token flaws are planted, the first
 * of this list wins and the others are planted but not observable (critical
 * before high before medium; among equals, the order of SPEC §2.3).
 */
export const TOKEN_FLAW_PRECEDENCE: readonly PlantableFlaw[] = [
  "token-predictable",
  "token-duplicate",
  "token-entropy",
  "token-length",
  "token-bias",
  "token-decodable",
];

/**
 * Flaws the `vulnerable` profile plants but that cannot be observed because a
 * stronger flaw of the same mechanism wins (see {@link TOKEN_FLAW_PRECEDENCE}):
 * the vulnerable profile issues md5-of-counter ids, which are neither short,
 * low in estimated entropy, duplicated, biased nor decodable.
 */
export const VULNERABLE_MASKED: readonly PlantableFlaw[] = TOKEN_FLAW_PRECEDENCE.slice(1);

/** True when `id` is one of {@link PLANTABLE_FLAWS}. */
export function isPlantableFlaw(id: string): id is PlantableFlaw {
  return (PLANTABLE_FLAWS as readonly string[]).includes(id);
}

/**
 * Validates the ids given with `--flaws` (surrounding blanks and empty entries
 * are ignored) and returns them as a set.
 * @throws LabUsageError naming the unknown ids and listing the plantable ones
 */
export function parseFlaws(ids: readonly string[]): FlawSet {
  const planted = new Set<PlantableFlaw>();
  const unknown: string[] = [];
  const unplantable: string[] = [];
  for (const raw of ids) {
    const id = raw.trim();
    if (id === "") continue;
    if (isPlantableFlaw(id)) planted.add(id);
    else if (id in UNPLANTABLE_FLAWS) unplantable.push(`${id} cannot be planted: ${UNPLANTABLE_FLAWS[id]}`);
    else unknown.push(id);
  }
  if (unknown.length > 0 || unplantable.length > 0) {
    const problems = [
      ...(unknown.length > 0 ? [`unknown flaw id${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`] : []),
      ...unplantable,
    ];
    throw new LabUsageError(`--flaws: ${problems.join("; ")}. Plantable ids: ${PLANTABLE_FLAWS.join(", ")}`);
  }
  return planted;
}
