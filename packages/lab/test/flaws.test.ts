/**
 * Each planted flaw in the exact shape the auditor will look for, and the
 * flaw-selection API (`PLANTABLE_FLAWS`, `FLAW_DESCRIPTIONS`, usage errors).
 */
import { createHash, createHmac } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { broaderDomain } from "../src/flawed/cookies.js";
import {
  FLAW_DESCRIPTIONS,
  JWT_COOKIE,
  LabUsageError,
  PLANTABLE_FLAWS,
  PROFILE_COOKIE,
  parseFlaws,
  type RunningLab,
  sessionCookieName,
  startLab,
  TOKEN_FLAW_PRECEDENCE,
  UNPLANTABLE_FLAWS,
  VULNERABLE_MASKED,
  WEAK_SIGNING_KEY,
} from "../src/index.js";
import { Browser, csrfOf, request, sleep } from "./helpers/client.js";

const labs: RunningLab[] = [];
async function lab(flaws: string[], extra: { idle?: string; absolute?: string } = {}): Promise<RunningLab> {
  const started = await startLab({ port: 0, flaws, ...extra });
  labs.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(labs.splice(0).map((running) => running.close()));
});

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");
const json = (part: string): unknown => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

async function sample(url: string, name: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push((await request(url, "/")).cookie(name)?.value ?? "");
  return tokens;
}

describe("the list of plantable flaws", () => {
  // That these are every check id of the auditor's registry but the two transport
  // checks, in its order, is asserted against the registry (packages/audit/test/lab-coverage.test.ts).
  test("leaves out exactly the two transport checks, with a reason each", () => {
    expect(Object.keys(UNPLANTABLE_FLAWS).sort()).toEqual(["transport-cleartext", "transport-hsts"]);
    for (const id of Object.keys(UNPLANTABLE_FLAWS)) expect(PLANTABLE_FLAWS).not.toContain(id);
    expect(new Set(PLANTABLE_FLAWS).size).toBe(PLANTABLE_FLAWS.length);
  });

  test("has a one-line description for every id", () => {
    expect(Object.keys(FLAW_DESCRIPTIONS).sort()).toEqual([...PLANTABLE_FLAWS].sort());
    for (const flaw of PLANTABLE_FLAWS) expect(FLAW_DESCRIPTIONS[flaw]).toMatch(/^[^\n]{20,}$/);
  });

  test("documents the token precedence that the vulnerable profile resolves with", () => {
    expect(TOKEN_FLAW_PRECEDENCE[0]).toBe("token-predictable");
    expect([...VULNERABLE_MASKED].sort()).toEqual(
      ["token-length", "token-entropy", "token-duplicate", "token-bias", "token-decodable"].sort(),
    );
  });
});

describe("choosing flaws", () => {
  test("unknown ids are a LabUsageError that lists the plantable ids", async () => {
    await expect(startLab({ flaws: ["fixation", "no-such-flaw"] })).rejects.toThrow(LabUsageError);
    expect(() => parseFlaws(["no-such-flaw"])).toThrow(/unknown flaw id: no-such-flaw.*Plantable ids: token-length, /);
    expect(() => parseFlaws(["transport-hsts"])).toThrow(/transport-hsts cannot be planted: .*HTTPS/);
  });

  test("blanks are ignored and an empty list is the flawed app without flaws", async () => {
    expect([...parseFlaws([" fixation", "", "id-adoption "])]).toEqual(["fixation", "id-adoption"]);
    const running = await lab([]);
    expect(running.profile).toBe("flawed");
    expect(running.flaws).toEqual([]);
  });

  test("--flaws wins over the default hardened profile", async () => {
    const running = await startLab({ port: 0, profile: "hardened", flaws: ["fixation"], store: "memory:" });
    labs.push(running);
    expect(running.profile).toBe("flawed");
    expect(running.flaws).toEqual(["fixation"]);
  });

  test("--flaws cannot be combined with vulnerable, and --store is the hardened profile's", async () => {
    await expect(startLab({ profile: "vulnerable", flaws: ["fixation"] })).rejects.toThrow(LabUsageError);
    await expect(startLab({ flaws: ["fixation"], store: "sqlite:/tmp/x.db" })).rejects.toThrow(/--store/);
    await expect(startLab({ flaws: [], idle: "soon" })).rejects.toThrow(/--idle soon/);
    await expect(startLab({ flaws: [], idle: "2h", absolute: "1h" })).rejects.toThrow(/longer than --absolute/);
    await expect(startLab({ profile: "bogus" as "hardened" })).rejects.toThrow(/hardened, vulnerable, flawed/);
  });

  test("--profile vulnerable plants every plantable flaw", async () => {
    const running = await startLab({ port: 0, profile: "vulnerable" });
    labs.push(running);
    expect(running.flaws).toEqual([...PLANTABLE_FLAWS]);
    expect(running.sessionCookie).toBe("sid");
    const cookie = (await request(running.url, "/")).cookie("sid");
    expect(cookie?.value).toBe(md5("1"));
    // Secure and SameSite=None together would be rejected by browsers: the insecure variant omits SameSite.
    expect(cookie?.attributes.has("secure")).toBe(false);
    expect(cookie?.attributes.has("samesite")).toBe(false);
    expect(cookie?.attributes.get("domain")).toBe("127.0.0.1");
  });

  test("the session cookie loses its __Host- prefix only with flaws that break the prefix's rules", () => {
    for (const flaw of PLANTABLE_FLAWS) {
      const expected = ["cookie-prefix", "cookie-secure", "cookie-scope"].includes(flaw) ? "sid" : "__Host-sid";
      expect(sessionCookieName(new Set([flaw]))).toBe(expected);
    }
  });
});

describe("token flaws", () => {
  test("token-length: 24 random hex characters (96 bits)", async () => {
    const { url } = await lab(["token-length"]);
    for (const token of await sample(url, "__Host-sid", 20)) expect(token).toMatch(/^[0-9a-f]{24}$/);
  });

  test("token-entropy: md5 of a sequence number, a dash and 32 random bits", async () => {
    const { url } = await lab(["token-entropy"]);
    const tokens = await sample(url, "__Host-sid", 50);
    tokens.forEach((token, i) => {
      expect(token).toMatch(/^[0-9a-f]{32}-[0-9a-f]{8}$/);
      expect(token.slice(0, 32)).toBe(md5(String(i + 1)));
    });
    expect(new Set(tokens.map((token) => token.slice(33))).size).toBe(50);
  });

  test("token-predictable: consecutive ids are md5 of consecutive integers", async () => {
    const { url } = await lab(["token-predictable"]);
    const [a, b, c] = await sample(url, "__Host-sid", 3);
    expect([a, b, c]).toEqual([md5("1"), md5("2"), md5("3")]);
    // Login ids come from the same counter.
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    expect(browser.cookie("__Host-sid")).toBe(md5("5"));
  });

  test("token-predictable: other generators can be chosen for the auditor's detectors", async () => {
    const sha1 = await startLab({ port: 0, flaws: ["token-predictable"], predictable: "sha1-counter" });
    labs.push(sha1);
    expect((await request(sha1.url, "/")).cookie("__Host-sid")?.value).toBe(
      createHash("sha1").update("1").digest("hex"),
    );
    const millis = await startLab({ port: 0, flaws: ["token-predictable"], predictable: "counter-millis" });
    labs.push(millis);
    const before = Date.now();
    const [counter, time] = ((await request(millis.url, "/")).cookie("__Host-sid")?.value ?? "").split("-");
    expect(counter).toBe("1");
    expect(Number(time)).toBeGreaterThanOrEqual(before);
    const lcg = await startLab({ port: 0, flaws: ["token-predictable"], predictable: "lcg" });
    labs.push(lcg);
    const words = ((await request(lcg.url, "/")).cookie("__Host-sid")?.value ?? "").match(/.{8}/g) ?? [];
    expect(words).toHaveLength(4);
    const [w0 = "", w1 = ""] = words;
    expect((Math.imul(Number.parseInt(w0, 16), 1664525) + 1013904223) >>> 0).toBe(Number.parseInt(w1, 16));
  });

  test("token-duplicate: every 32nd new client gets the id of the client before", async () => {
    const { url } = await lab(["token-duplicate"]);
    const tokens = await sample(url, "__Host-sid", 64);
    expect(tokens[31]).toBe(tokens[30]);
    expect(tokens[63]).toBe(tokens[62]);
    expect(new Set(tokens).size).toBe(62);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test("token-duplicate never hands out a signed-in session", async () => {
    const { url } = await lab(["token-duplicate"]);
    for (let i = 0; i < 40; i++) {
      const browser = new Browser(url);
      await browser.login("__Host-sid");
      const fresh = await request(url, "/account", {
        cookies: { "__Host-sid": (await request(url, "/")).cookie("__Host-sid")?.value ?? "" },
      });
      expect(fresh.status).toBe(401);
    }
  });

  test("token-bias: every other hex character is 0-b, and the high nibble still varies", async () => {
    const { url } = await lab(["token-bias"]);
    const tokens = await sample(url, "__Host-sid", 200);
    for (const token of tokens) expect(token).toMatch(/^([0-9a-b][0-9a-f]){32}$/);
    // Skewed, not constant: the top bit of the high nibble is set about a third of the time.
    const high = tokens.flatMap((token) => [...token].filter((_, i) => i % 2 === 0));
    const ratio = high.filter((nibble) => Number.parseInt(nibble, 16) >= 8).length / high.length;
    expect(ratio).toBeGreaterThan(0.28);
    expect(ratio).toBeLessThan(0.39);
  });

  test("token-decodable: base64url JSON with the user, then a random nonce", async () => {
    const { url } = await lab(["token-decodable"]);
    const [anonymous = ""] = await sample(url, "__Host-sid", 1);
    const [profile = "", nonce = ""] = anonymous.split(".");
    expect(json(profile)).toEqual({ user: null, role: "guest" });
    expect(Buffer.from(nonce, "base64url")).toHaveLength(32);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const [signedIn = ""] = (browser.cookie("__Host-sid") ?? "").split(".");
    expect(json(signedIn)).toEqual({ user: "alice", role: "user", email: "alice@example.com" });
  });
});

describe("client-side state flaws", () => {
  test("state-tampering: the unsigned profile cookie decides who /account shows", async () => {
    const { url } = await lab(["state-tampering"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const profile = decodeURIComponent(browser.cookie(PROFILE_COOKIE) ?? "");
    expect(JSON.parse(Buffer.from(profile, "base64").toString())).toEqual({ user: "alice", role: "user" });
    expect(browser.cookie(JWT_COOKIE)).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ user: "bob", role: "admin" })).toString("base64");
    const reply = await request(url, "/account", {
      cookies: { ...browser.cookies(), profile: encodeURIComponent(forged) },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain("Signed in as bob");
    expect(reply.body).toContain("role: admin");
    // Garbage is refused, so "accepted" and "ignored" can be told apart; no live session, no trust.
    expect((await request(url, "/account", { cookies: { ...browser.cookies(), profile: "%%%" } })).status).toBe(401);
    expect((await request(url, "/account", { cookies: { profile: encodeURIComponent(forged) } })).status).toBe(401);
  });

  test("state-weak-key: the profile cookie is signed cookie-signature style with 'secret' and verified", async () => {
    const { url } = await lab(["state-weak-key"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const raw = browser.cookie(PROFILE_COOKIE) ?? "";
    expect(raw.startsWith("s%3A")).toBe(true);
    const value = decodeURIComponent(raw);
    const match = /^s:([A-Za-z0-9_-]+)\.([A-Za-z0-9+/]+)$/.exec(value);
    const [, payload = "", signature = ""] = match ?? [];
    expect(json(payload)).toEqual({ user: "alice", role: "user" });
    const sign = (data: string): string =>
      createHmac("sha256", WEAK_SIGNING_KEY).update(data).digest("base64").replace(/=+$/, "");
    expect(signature).toBe(sign(payload));
    const bob = b64url({ user: "bob", role: "admin" });
    const unsigned = await request(url, "/account", {
      cookies: { ...browser.cookies(), profile: encodeURIComponent(`s:${bob}.${signature}`) },
    });
    expect(unsigned.status).toBe(401);
    const resigned = await request(url, "/account", {
      cookies: { ...browser.cookies(), profile: encodeURIComponent(`s:${bob}.${sign(bob)}`) },
    });
    expect(resigned.body).toContain("Signed in as bob");
  });

  test("jwt-alg-none: an unsigned JWT is accepted, a wrongly signed one is not", async () => {
    const { url } = await lab(["jwt-alg-none"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const [header = "", payload = "", signature = ""] = (browser.cookie(JWT_COOKIE) ?? "").split(".");
    expect(json(header)).toEqual({ alg: "HS256", typ: "JWT" });
    expect(json(payload)).toMatchObject({ sub: "alice", role: "user", exp: expect.any(Number) });
    expect(signature).not.toBe("");
    const account = (token: string) => request(url, "/account", { cookies: { ...browser.cookies(), token } });
    expect((await account(`${header}.${payload}.${signature}`)).body).toContain("token subject: alice");
    const bob = b64url({ sub: "bob", role: "user", exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await account(`${header}.${bob}.${signature}`)).status).toBe(401);
    const none = await account(`${b64url({ alg: "none", typ: "JWT" })}.${bob}.`);
    expect(none.status).toBe(200);
    expect(none.body).toContain("Signed in as bob");
  });

  test("jwt-expiry: the JWT has no exp claim", async () => {
    const { url } = await lab(["jwt-expiry"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const [header = "", payload = ""] = (browser.cookie(JWT_COOKIE) ?? "").split(".");
    expect(json(header)).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = json(payload) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: "alice", role: "user", iat: expect.any(Number) });
    expect(claims).not.toHaveProperty("exp");
    // And alg none stays refused: only the expiry flaw is planted.
    const none = `${b64url({ alg: "none" })}.${payload}.`;
    expect((await request(url, "/account", { cookies: { ...browser.cookies(), token: none } })).status).toBe(401);
  });

  test("vulnerable: an expired alg-none JWT is accepted and the JWT is signed with the weak key", async () => {
    const running = await startLab({ port: 0, profile: "vulnerable" });
    labs.push(running);
    const browser = new Browser(running.url);
    await browser.login("sid");
    const [header = "", payload = "", signature = ""] = (browser.cookie(JWT_COOKIE) ?? "").split(".");
    expect(createHmac("sha256", WEAK_SIGNING_KEY).update(`${header}.${payload}`).digest("base64url")).toBe(signature);
    const expired = b64url({ sub: "alice", role: "user", exp: 1 });
    const reply = await request(running.url, "/account", {
      cookies: { ...browser.cookies(), token: `${b64url({ alg: "none" })}.${expired}.` },
    });
    expect(reply.status).toBe(200);
    // The profile cookie is unsigned there (state-tampering wins over state-weak-key for it).
    expect(decodeURIComponent(browser.cookie(PROFILE_COOKIE) ?? "").startsWith("s:")).toBe(false);
  });

  test("logout expires the client-side state cookies too", async () => {
    const { url } = await lab(["state-tampering", "jwt-expiry"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    expect(browser.cookie(PROFILE_COOKIE)).toBeDefined();
    const reply = await browser.post("/logout");
    expect(reply.cookie(PROFILE_COOKIE)?.attributes.get("max-age")).toBe("0");
    expect(reply.cookie(JWT_COOKIE)?.attributes.get("max-age")).toBe("0");
  });
});

describe("cookie flaws", () => {
  const attributesOf = async (flaw: string, name: string) => {
    const { url } = await lab([flaw]);
    const cookie = (await request(url, "/")).cookie(name);
    expect(cookie).toBeDefined();
    return cookie?.attributes ?? new Map<string, string>();
  };

  test("cookie-secure: no Secure, named sid", async () => {
    const attributes = await attributesOf("cookie-secure", "sid");
    expect(attributes.has("secure")).toBe(false);
    expect(attributes.get("samesite")).toBe("Lax");
    expect(attributes.has("httponly")).toBe(true);
  });

  test("cookie-httponly: no HttpOnly, still __Host-sid", async () => {
    const attributes = await attributesOf("cookie-httponly", "__Host-sid");
    expect(attributes.has("httponly")).toBe(false);
    expect(attributes.has("secure")).toBe(true);
  });

  test("cookie-samesite: SameSite=None with Secure", async () => {
    const attributes = await attributesOf("cookie-samesite", "__Host-sid");
    expect(attributes.get("samesite")).toBe("None");
    expect(attributes.has("secure")).toBe(true);
  });

  test("cookie-scope: a Domain broader than the host, derived from the Host header", async () => {
    expect((await attributesOf("cookie-scope", "sid")).get("domain")).toBe("127.0.0.1");
    // fetch cannot set Host; the derivation itself:
    expect(broaderDomain("app.lab.localhost:8080")).toBe("lab.localhost");
    expect(broaderDomain("localhost:8080")).toBe("localhost");
    expect(broaderDomain("[::1]:8080")).toBe("::1");
    expect(broaderDomain(undefined)).toBe("localhost");
  });

  test("cookie-persistent: Max-Age of 30 days", async () => {
    const attributes = await attributesOf("cookie-persistent", "__Host-sid");
    expect(attributes.get("max-age")).toBe("2592000");
    expect(attributes.has("expires")).toBe(true);
  });

  test("cookie-prefix: named sid with secure attributes", async () => {
    const attributes = await attributesOf("cookie-prefix", "sid");
    expect([...attributes.keys()]).toEqual(["path", "secure", "httponly", "samesite"]);
  });
});

describe("lifecycle flaws", () => {
  test("id-in-url: login redirects with the id, links carry it, and the query parameter authenticates", async () => {
    const { url } = await lab(["id-in-url"]);
    const browser = new Browser(url);
    const { reply } = await browser.login("__Host-sid");
    const token = browser.cookie("__Host-sid") ?? "";
    expect(reply.headers.get("location")).toBe(`/account?sid=${encodeURIComponent(token)}`);
    const account = await request(url, `/account?sid=${encodeURIComponent(token)}`);
    expect(account.status).toBe(200);
    expect(account.body).toContain(`href="/account?sid=${encodeURIComponent(token)}"`);
    expect(account.body).toContain(`action="/logout?sid=`);
  });

  test("cache-sensitive: /account has no Cache-Control, session-setting responses keep no-store", async () => {
    const { url } = await lab(["cache-sensitive"]);
    const browser = new Browser(url);
    const { reply } = await browser.login("__Host-sid");
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const account = await browser.get("/account");
    expect(account.status).toBe(200);
    expect(account.headers.get("cache-control")).toBeNull();
  });

  test("fixation: the pre-login id is kept and authenticated after login", async () => {
    const { url } = await lab(["fixation"]);
    const browser = new Browser(url);
    const { reply, preLogin } = await browser.login("__Host-sid");
    expect(reply.cookie("__Host-sid")).toBeUndefined();
    const account = await request(url, "/account", { cookies: { "__Host-sid": preLogin ?? "" } });
    expect(account.body).toContain("Signed in as alice");
  });

  test("id-adoption: an attacker-chosen id becomes a session that login keeps; issued ids still rotate", async () => {
    const chosen = "attacker-chosen-session-id-0123456789";
    const { url } = await lab(["id-adoption"]);
    const form = await request(url, "/login", { cookies: { "__Host-sid": chosen } });
    expect(form.cookie("__Host-sid")).toBeUndefined();
    const login = await request(url, "/login", {
      cookies: { "__Host-sid": chosen },
      form: { csrf: csrfOf(form.body), username: "alice", password: "alice-pw" },
    });
    expect(login.status).toBe(303);
    expect(login.cookie("__Host-sid")).toBeUndefined();
    const attacker = await request(url, "/account", { cookies: { "__Host-sid": chosen } });
    expect(attacker.body).toContain("Signed in as alice");
    // Ids the server minted still rotate, so fixation stays off.
    const browser = new Browser(url);
    const { preLogin } = await browser.login("__Host-sid");
    expect(browser.cookie("__Host-sid")).not.toBe(preLogin);
    expect((await request(url, "/account", { cookies: { "__Host-sid": preLogin ?? "" } })).status).toBe(401);
    // Ill-formed ids are not adopted.
    expect((await request(url, "/", { cookies: { "__Host-sid": "a b" } })).cookie("__Host-sid")).toBeDefined();
  });

  test("logout-invalidation: the token still works after logout", async () => {
    const { url } = await lab(["logout-invalidation"]);
    const browser = new Browser(url);
    await browser.login("__Host-sid");
    const token = browser.cookie("__Host-sid") ?? "";
    const reply = await browser.post("/logout");
    expect(reply.cookie("__Host-sid")?.attributes.get("max-age")).toBe("0");
    expect((await request(url, "/account", { cookies: { "__Host-sid": token } })).status).toBe(200);
  });

  test("credential-change-invalidation: other sessions survive a password change", async () => {
    const { url } = await lab(["credential-change-invalidation"]);
    const [a, b] = [new Browser(url), new Browser(url)];
    await a.login("__Host-sid");
    await b.login("__Host-sid");
    expect((await a.post("/password", { current: "alice-pw", next: "new-pw" })).status).toBe(200);
    expect((await b.get("/account")).status).toBe(200);
  });

  test("idle-timeout and absolute-timeout: the planted one is gone, the other still works", async () => {
    // Windows wide enough that a stalled CI worker cannot flip a result.
    const noIdle = await lab(["idle-timeout"], { idle: `${scaled(600)}ms`, absolute: `${scaled(2000)}ms` });
    const noAbsolute = await lab(["absolute-timeout"], { idle: `${scaled(1000)}ms`, absolute: `${scaled(1500)}ms` });
    const idler = new Browser(noIdle.url);
    await idler.login("__Host-sid");
    const busy = new Browser(noAbsolute.url);
    await busy.login("__Host-sid");
    const start = Date.now();
    let idlerChecked = false;
    while (Date.now() - start < scaled(2200)) {
      expect((await busy.get("/account")).status).toBe(200);
      if (!idlerChecked && Date.now() - start >= scaled(1200)) {
        // Idle twice as long as --idle: still valid without the idle timeout.
        expect((await idler.get("/account")).status).toBe(200);
        idlerChecked = true;
      }
      await sleep(scaled(150));
    }
    // Past --absolute: the idle-timeout lab still ends sessions there, the absolute-timeout lab does not.
    expect((await idler.get("/account")).status).toBe(401);
    expect((await busy.get("/account")).status).toBe(200);
    await sleep(scaled(1300));
    expect((await busy.get("/account")).status).toBe(401);
  });

  test("concurrent-sessions: no limit per user", async () => {
    const { url } = await lab(["concurrent-sessions"]);
    const browsers = Array.from({ length: 6 }, () => new Browser(url));
    for (const browser of browsers) await browser.login("__Host-sid");
    for (const browser of browsers) expect((await browser.get("/account")).status).toBe(200);
  });

  test("invalid-id-throttling: 100 unknown ids are all answered normally", async () => {
    const { url } = await lab(["invalid-id-throttling"]);
    for (let i = 0; i < 100; i++) {
      expect((await request(url, "/account", { cookies: { "__Host-sid": `guess-${i}-xxxxxxxx` } })).status).toBe(401);
    }
  });
});
