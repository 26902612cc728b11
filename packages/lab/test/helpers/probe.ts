/**
 * A deliberately small black-box "auditor" for the lab's own tests: one probe
 * per check id of SPEC §2.3 that the lab can plant, each looking over HTTP the
 * way the real auditor will (policy: maxIdle = --idle, maxAbsolute =
 * --absolute, minEntropyBits 64, maxConcurrentSessions 3). It lets the tests
 * assert that planting flaw X shows X and nothing else.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { Browser, request, sleep } from "./client.js";

/** Timeouts the lab was started with, in milliseconds. */
export interface ProbePolicy {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

const WORDLIST = ["secret", "changeme", "keyboard cat", "password", "s3cr3t"];
const ALICE = { username: "alice", password: "alice-pw" };

const md5Index = new Map<string, number>();
function md5Counter(token: string): number | undefined {
  if (md5Index.size === 0)
    for (let n = 0; n <= 50_000; n++) md5Index.set(createHash("md5").update(String(n)).digest("hex"), n);
  return md5Index.get(token);
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Splits hex ids like `<32 hex>-<8 hex>` into their fields; any other format
 * is one field (base64url ids may contain `-` anywhere).
 */
function fieldsOf(samples: readonly string[]): string[][] {
  if (!samples.every((token) => /^[0-9a-f]+(-[0-9a-f]+)+$/.test(token))) return [[...samples]];
  const split = samples.map((token) => token.split("-"));
  const count = split[0]?.length ?? 0;
  return Array.from({ length: count }, (_, i) => split.map((parts) => parts[i] ?? ""));
}

/**
 * Token findings from a sample of session ids, with the auditor's semantics:
 * length counts variable bits only, and a field explained by a generator
 * (here: md5 of a counter) carries no entropy; a token is predictable when
 * every variable field is explained, and then token-entropy is not reported
 * again for the same cause.
 */
export function analyseTokens(samples: readonly string[]): Set<string> {
  const found = new Set<string>();
  let raw = 0;
  let effective = 0;
  let biased = false;
  let variableFields = 0;
  let explainedFields = 0;
  for (const field of fieldsOf(samples)) {
    const hex = field.every((value) => /^[0-9a-f]+$/i.test(value));
    const bitsPerChar = hex ? 4 : 6;
    const length = Math.min(...field.map((value) => value.length));
    let fieldBits = 0;
    for (let position = 0; position < length; position++) {
      const symbols = new Set(field.map((value) => value[position]));
      if (symbols.size <= 1) continue; // a constant position carries nothing and proves nothing
      raw += bitsPerChar;
      fieldBits += Math.log2(Math.min(symbols.size, 2 ** bitsPerChar));
      // With 100+ samples every hex digit shows up at a random position; three or more missing is a skew.
      if (hex && field.length >= 100 && symbols.size <= 13) biased = true;
    }
    if (fieldBits === 0) continue;
    variableFields += 1;
    const counters = field.map(md5Counter);
    const counting = counters.every((n, i) => n !== undefined && (i === 0 || n === (counters[i - 1] ?? 0) + 1));
    if (counting) explainedFields += 1;
    else effective += fieldBits;
  }
  const predictable = variableFields > 0 && explainedFields === variableFields;
  if (raw < 128) found.add("token-length");
  // A fully predictable id has no entropy at all; that is reported once, as token-predictable (the root cause).
  if (effective < 64 && !predictable) found.add("token-entropy");
  if (biased) found.add("token-bias");
  if (predictable) found.add("token-predictable");
  if (new Set(samples).size < samples.length) found.add("token-duplicate");
  const first = samples[0] ?? "";
  if ([first, ...first.split(".")].some((part) => decodeJson(part) !== null)) found.add("token-decodable");
  return found;
}

/** Cookie findings from the `Set-Cookie` that carried a session id. */
export function analyseCookie(name: string, attributes: ReadonlyMap<string, string>, policy: ProbePolicy): Set<string> {
  const found = new Set<string>();
  if (!attributes.has("secure")) found.add("cookie-secure");
  if (!attributes.has("httponly")) found.add("cookie-httponly");
  const sameSite = attributes.get("samesite")?.toLowerCase();
  if (sameSite === undefined || !["lax", "strict"].includes(sameSite)) found.add("cookie-samesite");
  if (attributes.has("domain") || (attributes.get("path") ?? "/") !== "/") found.add("cookie-scope");
  const maxAge = Number(attributes.get("max-age") ?? 0);
  if (maxAge * 1000 > policy.idleMs || attributes.has("expires")) found.add("cookie-persistent");
  if (!name.startsWith("__Host-") && !name.startsWith("__Secure-")) found.add("cookie-prefix");
  return found;
}

function forgeLike(sample: string): string {
  const alphabet = /^[0-9a-f]+$/.test(sample)
    ? "0123456789abcdef"
    : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return [...randomBytes(sample.length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

function hmacB64(key: string, data: string, encoding: "base64" | "base64url"): string {
  return createHmac("sha256", key).update(data).digest(encoding).replace(/=+$/, "");
}

/** Client-side state findings from a signed-in browser. */
async function probeClientState(browser: Browser, cookieName: string): Promise<Set<string>> {
  const found = new Set<string>();
  const account = (cookies: Record<string, string>) => request(browser.base, "/account", { cookies });
  const profile = browser.cookie("profile");
  if (profile !== undefined) {
    const value = decodeURIComponent(profile);
    if (value.startsWith("s:")) {
      const dot = value.lastIndexOf(".");
      const payload = value.slice(2, dot);
      if (WORDLIST.some((key) => hmacB64(key, payload, "base64") === value.slice(dot + 1))) found.add("state-weak-key");
      const forged = Buffer.from(JSON.stringify({ user: "bob", role: "admin" })).toString("base64url");
      const reply = await account({
        ...browser.cookies(),
        profile: encodeURIComponent(`s:${forged}.${value.slice(dot + 1)}`),
      });
      if (reply.status === 200) found.add("state-tampering");
    } else {
      const claims = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...claims, user: "bob", role: "admin" })).toString("base64");
      const reply = await account({ ...browser.cookies(), profile: encodeURIComponent(forged) });
      if (reply.status === 200 && reply.body.includes("Signed in as bob")) found.add("state-tampering");
    }
  }
  const token = browser.cookie("token");
  if (token !== undefined) {
    const [header = "", payload = "", signature = ""] = token.split(".");
    const claims = decodeJson(payload) ?? {};
    if (WORDLIST.some((key) => hmacB64(key, `${header}.${payload}`, "base64url") === signature))
      found.add("state-weak-key");
    if (!("exp" in claims)) found.add("jwt-expiry");
    const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    const bob = b64({ ...claims, sub: "bob" });
    const resigned = await account({ ...browser.cookies(), token: `${header}.${bob}.${signature}` });
    if (resigned.status === 200) found.add("state-tampering");
    const none = await account({ ...browser.cookies(), token: `${b64({ alg: "none", typ: "JWT" })}.${bob}.` });
    if (none.status === 200 && none.body.includes("token subject: bob")) found.add("jwt-alg-none");
  }
  // The session cookie alone must still be what keeps the user signed in.
  const bare = await account({ [cookieName]: browser.cookie(cookieName) ?? "" });
  if (bare.status !== 200) throw new Error(`the session cookie alone should authenticate, got ${bare.status}`);
  return found;
}

/**
 * Runs every probe against a lab and returns the check ids it would report
 * above `info`, plus `cookie-prefix` (info) when the prefix is missing. Takes
 * about `absoluteMs` + 0.3 s; the throttling probe runs last because a secure
 * lab answers 429 to this client afterwards.
 */
export async function observe(base: string, policy: ProbePolicy, samples = 200): Promise<Set<string>> {
  const found = new Set<string>();
  const add = (ids: Iterable<string>): void => {
    for (const id of ids) found.add(id);
  };

  // Token sampling: a fresh client per sample, as the auditor's default "fresh" jar.
  const tokens: string[] = [];
  let cookieName = "";
  for (let i = 0; i < samples; i++) {
    const reply = await request(base, "/");
    const cookie = reply.setCookies[0];
    if (reply.setCookies.length !== 1 || cookie === undefined) throw new Error("GET / should set exactly one cookie");
    if (i === 0) {
      cookieName = cookie.name;
      add(analyseCookie(cookie.name, cookie.attributes, policy));
    }
    tokens.push(cookie.value);
  }
  add(analyseTokens(tokens));

  // One login observed closely: fixation, id in URL, caching, client-side state.
  const browser = new Browser(base);
  const { reply: login, preLogin } = await browser.login(cookieName);
  if (login.status !== 303) throw new Error(`login failed with ${login.status}`);
  const current = browser.cookie(cookieName) ?? "";
  const location = login.headers.get("location") ?? "";
  if (location.includes("sid=") || location.includes(current)) found.add("id-in-url");
  if ((await request(base, `/account?sid=${encodeURIComponent(current)}`)).status === 200) found.add("id-in-url");
  const account = await browser.get("/account");
  if (account.status !== 200 || !account.body.includes("Signed in as alice")) throw new Error("account page not shown");
  if (!/no-store|private/.test(account.headers.get("cache-control") ?? "")) found.add("cache-sensitive");
  if ((await request(base, "/account", { cookies: { [cookieName]: preLogin ?? "" } })).status === 200)
    found.add("fixation");
  add(await probeClientState(browser, cookieName));

  // Adoption: a well-formed id the server never issued.
  const forged = forgeLike(tokens[0] ?? "");
  const form = await request(base, "/login", { cookies: { [cookieName]: forged } });
  const reissued = form.cookie(cookieName);
  if (reissued === undefined || reissued.value === forged) {
    // Kept: confirm as the auditor does, by logging in with it and replaying it alone.
    const csrf = /name="csrf" value="([^"]*)"/.exec(form.body)?.[1] ?? "";
    await request(base, "/login", { cookies: { [cookieName]: forged }, form: { csrf, ...ALICE } });
    if ((await request(base, "/account", { cookies: { [cookieName]: forged } })).status === 200)
      found.add("id-adoption");
  }

  // Logout must end the session on the server.
  const leaving = new Browser(base);
  await leaving.login(cookieName);
  const token = leaving.cookie(cookieName) ?? "";
  await leaving.post("/logout");
  if ((await request(base, "/account", { cookies: { [cookieName]: token } })).status === 200)
    found.add("logout-invalidation");

  // A password change must end the user's other sessions.
  const [a, b] = [new Browser(base), new Browser(base)];
  await a.login(cookieName);
  await b.login(cookieName);
  if ((await a.post("/password", { current: "alice-pw", next: "alice-pw-2" })).status !== 200)
    throw new Error("no change");
  if ((await b.get("/account")).status === 200) found.add("credential-change-invalidation");
  await a.post("/password", { current: "alice-pw-2", next: "alice-pw" });

  // At most three concurrent sessions.
  const four = [new Browser(base), new Browser(base), new Browser(base), new Browser(base)];
  for (const browser of four) await browser.login(cookieName);
  if ((await four[0]?.get("/account"))?.status === 200) found.add("concurrent-sessions");

  // Timeouts, in parallel on two users so the waits overlap.
  const idle = async (): Promise<void> => {
    const idler = new Browser(base);
    await idler.login(cookieName);
    await sleep(policy.idleMs * 1.5);
    if ((await idler.get("/account")).status === 200) found.add("idle-timeout");
  };
  const absolute = async (): Promise<void> => {
    const busy = new Browser(base);
    await busy.login(cookieName, "bob");
    const start = Date.now();
    while (Date.now() - start < policy.absoluteMs + 300) {
      await sleep(Math.min(250, policy.idleMs / 3));
      await busy.get("/account");
    }
    if ((await busy.get("/account")).status === 200) found.add("absolute-timeout");
  };
  await Promise.all([idle(), absolute()]);

  // Guessing: many unknown ids from one client.
  let throttled = false;
  for (let i = 0; i < 25 && !throttled; i++) {
    const reply = await request(base, "/account", { cookies: { [cookieName]: forgeLike(tokens[0] ?? "") } });
    throttled = reply.status === 429;
  }
  if (!throttled) found.add("invalid-id-throttling");
  return found;
}
