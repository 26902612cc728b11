/**
 * The flawed app with no flaw planted must be a secure session system: each
 * test is something an attacker (or a user) would notice if it were not.
 */
import { afterEach, describe, expect, test } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { type RunningLab, startLab } from "../src/index.js";
import { Browser, csrfOf, request, sleep } from "./helpers/client.js";

const COOKIE = "__Host-sid";
const labs: RunningLab[] = [];

async function lab(options: { idle?: string; absolute?: string } = {}): Promise<RunningLab> {
  const started = await startLab({ port: 0, flaws: [], ...options });
  labs.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(labs.splice(0).map((running) => running.close()));
});

describe("flawed app without flaws", () => {
  test("reports the flawed profile, no flaws and the secure cookie name", async () => {
    const { profile, flaws, sessionCookie, description } = await lab();
    expect(profile).toBe("flawed");
    expect(flaws).toEqual([]);
    expect(sessionCookie).toBe(COOKIE);
    expect(description).toContain("flaws none");
  });

  test("GET / gives a cookieless client a fresh 32-byte id in a __Host- cookie with secure attributes", async () => {
    const { url } = await lab();
    const first = await request(url, "/");
    const second = await request(url, "/");
    expect(first.status).toBe(200);
    const cookie = first.cookie(COOKIE);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(cookie?.value ?? "", "base64url")).toHaveLength(32);
    expect(second.cookie(COOKIE)?.value).not.toBe(cookie?.value);
    expect([...(cookie?.attributes ?? new Map())]).toEqual([
      ["path", "/"],
      ["secure", ""],
      ["httponly", ""],
      ["samesite", "Lax"],
    ]);
    expect(first.headers.get("cache-control")).toBe("no-store");
  });

  test("a client with a live session keeps it; GET /login issues one too", async () => {
    const { url } = await lab();
    const browser = new Browser(url);
    await browser.get("/");
    const id = browser.cookie(COOKIE);
    expect((await browser.get("/")).setCookies).toEqual([]);
    const form = await browser.get("/login");
    expect(form.setCookies).toEqual([]);
    expect(browser.cookie(COOKIE)).toBe(id);
    expect(form.body).toMatch(/name="username"/);
    expect(form.body).toMatch(/name="password"/);
    expect(form.body).toMatch(/type="hidden" name="csrf"/);
    expect((await request(url, "/login")).cookie(COOKIE)).toBeDefined();
  });

  test("login checks the CSRF token, then the credentials", async () => {
    const { url } = await lab();
    const browser = new Browser(url);
    const csrf = csrfOf((await browser.get("/login")).body);
    expect((await browser.post("/login", { csrf: "wrong", username: "alice", password: "alice-pw" })).status).toBe(403);
    const wrong = await browser.post("/login", { csrf, username: "alice", password: "nope" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("cache-control")).toBe("no-store");
    const other = new Browser(url);
    await other.get("/login");
    // A CSRF token is bound to the session it was issued to.
    expect((await other.post("/login", { csrf, username: "alice", password: "alice-pw" })).status).toBe(403);
  });

  test("login issues a new id, the pre-login id dies, and the id never appears in a URL", async () => {
    const { url } = await lab();
    const browser = new Browser(url);
    const { reply, preLogin } = await browser.login(COOKIE);
    expect(reply.status).toBe(303);
    expect(reply.headers.get("location")).toBe("/account");
    expect(reply.headers.get("cache-control")).toBe("no-store");
    const current = browser.cookie(COOKIE);
    expect(current).toBeDefined();
    expect(current).not.toBe(preLogin);
    expect((await request(url, "/account", { cookies: { [COOKIE]: preLogin ?? "" } })).status).toBe(401);
    const account = await browser.get("/account");
    expect(account.status).toBe(200);
    expect(account.body).toContain("Signed in as alice");
    expect(account.body).not.toContain(current);
    expect(account.headers.get("cache-control")).toBe("no-store");
    // The id is accepted from the cookie only.
    expect((await request(url, `/account?sid=${current}`)).status).toBe(401);
    expect(reply.setCookies.map((cookie) => cookie.name)).toEqual([COOKIE]);
  });

  test("anonymous /account is 401 with 'Please sign in'", async () => {
    const { url } = await lab();
    const reply = await request(url, "/account");
    expect(reply.status).toBe(401);
    expect(reply.body).toContain("Please sign in");
  });

  test("logout destroys the session on the server and expires the cookie", async () => {
    const { url } = await lab();
    const browser = new Browser(url);
    await browser.login(COOKIE);
    const token = browser.cookie(COOKIE) ?? "";
    const reply = await browser.post("/logout");
    expect(reply.status).toBe(303);
    expect(reply.headers.get("location")).toBe("/");
    expect(reply.cookie(COOKIE)?.attributes.get("max-age")).toBe("0");
    expect((await request(url, "/account", { cookies: { [COOKIE]: token } })).status).toBe(401);
  });

  test("a never-issued id is not adopted: a new random id is issued and its CSRF token does not work", async () => {
    const { url } = await lab();
    const forged = "A".repeat(43);
    const page = await request(url, "/", { cookies: { [COOKIE]: forged } });
    expect(page.cookie(COOKIE)?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.cookie(COOKIE)?.value).not.toBe(forged);
    const form = await request(url, "/login", { cookies: { [COOKIE]: forged } });
    const login = await request(url, "/login", {
      cookies: { [COOKIE]: forged },
      form: { csrf: csrfOf(form.body), username: "alice", password: "alice-pw" },
    });
    expect(login.status).toBe(403);
  });

  test("a password change ends the user's other sessions and keeps the current one", async () => {
    const { url } = await lab();
    const [a, b, bob] = [new Browser(url), new Browser(url), new Browser(url)];
    await a.login(COOKIE);
    await b.login(COOKIE);
    await bob.login(COOKIE, "bob");
    expect((await request(url, "/password", { form: { current: "alice-pw", next: "x" } })).status).toBe(401);
    expect((await a.post("/password", { current: "wrong", next: "x" })).status).toBe(400);
    expect((await b.get("/account")).status).toBe(200);
    expect((await a.post("/password", { current: "alice-pw", next: "alice-pw-2" })).status).toBe(200);
    expect((await a.get("/account")).status).toBe(200);
    expect((await b.get("/account")).status).toBe(401);
    expect((await bob.get("/account")).status).toBe(200);
    expect((await new Browser(url).login(COOKIE, "alice", "alice-pw-2")).reply.status).toBe(303);
  });

  test("a user keeps at most three sessions: the oldest is signed out", async () => {
    const { url } = await lab();
    const browsers = [new Browser(url), new Browser(url), new Browser(url), new Browser(url)];
    for (const browser of browsers) await browser.login(COOKIE);
    const statuses = await Promise.all(browsers.map(async (browser) => (await browser.get("/account")).status));
    expect(statuses).toEqual([401, 200, 200, 200]);
  });

  test("more than 20 unknown ids from one client in 60 s are answered 429", async () => {
    const { url } = await lab();
    const valid = new Browser(url);
    await valid.login(COOKIE);
    for (let i = 0; i < 20; i++) {
      const reply = await request(url, "/account", { cookies: { [COOKIE]: `guess-${i}-${"x".repeat(30)}` } });
      expect(reply.status).toBe(401);
    }
    const blocked = await request(url, "/account", { cookies: { [COOKIE]: `guess-20-${"x".repeat(30)}` } });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(55);
    // Blocked for every request carrying an id, so a lucky guess would learn nothing...
    expect((await valid.get("/account")).status).toBe(429);
    // ...while pages that need no session still answer.
    expect((await request(url, "/health")).status).toBe(200);
    expect((await request(url, "/")).status).toBe(200);
  });

  test("one stale cookie sent again and again is not mistaken for guessing", async () => {
    const { url } = await lab();
    for (let i = 0; i < 30; i++) {
      expect((await request(url, "/account", { cookies: { [COOKIE]: "stale-cookie-value" } })).status).toBe(401);
    }
  });

  test("an idle session expires after --idle", async () => {
    // Windows wide enough that a stalled CI worker cannot flip the result (a later check only sees more expiry).
    const { url } = await lab({ idle: `${scaled(1000)}ms`, absolute: `${scaled(10_000)}ms` });
    const browser = new Browser(url);
    await browser.login(COOKIE);
    await sleep(scaled(300));
    expect((await browser.get("/account")).status).toBe(200);
    await sleep(scaled(1500));
    expect((await browser.get("/account")).status).toBe(401);
  });

  test("an active session expires after --absolute", async () => {
    const { url } = await lab({ idle: `${scaled(1000)}ms`, absolute: `${scaled(2000)}ms` });
    const browser = new Browser(url);
    await browser.login(COOKIE);
    const start = Date.now();
    while (Date.now() - start < scaled(1500)) {
      expect((await browser.get("/account")).status).toBe(200);
      await sleep(scaled(200));
    }
    // Less than --idle since the last request, more than --absolute since login: only the absolute timeout can end it.
    await sleep(Math.max(0, scaled(2400) - (Date.now() - start)));
    expect((await browser.get("/account")).status).toBe(401);
  });

  test("GET /health answers 200 and unknown routes 404", async () => {
    const { url } = await lab();
    expect((await request(url, "/health")).status).toBe(200);
    expect((await request(url, "/nope")).status).toBe(404);
  });

  test("a cross-site form post is refused", async () => {
    const { url } = await lab();
    const browser = new Browser(url);
    const csrf = csrfOf((await browser.get("/login")).body);
    const reply = await request(url, "/login", {
      cookies: browser.cookies(),
      form: { csrf, username: "alice", password: "alice-pw" },
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(reply.status).toBe(403);
  });
});
