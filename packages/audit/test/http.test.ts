import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { detectSessionCookie } from "../src/engine/discovery.js";
import { hiddenInputs } from "../src/engine/html-form.js";
import { AuditError } from "../src/errors.js";
import { Budget } from "../src/http/budget.js";
import { HttpClient, MAX_BODY_BYTES } from "../src/http/client.js";
import { CookieJar, parseSetCookie, parseSetCookies } from "../src/http/cookie-jar.js";
import { isLoopbackHost } from "../src/http/loopback.js";

let base = "";
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (url.pathname === "/loop") {
    res.writeHead(302, { location: "/loop", "set-cookie": "hop=1; Path=/" });
    return res.end();
  }
  if (url.pathname === "/away") {
    res.writeHead(302, { location: "http://198.51.100.1/steal" });
    return res.end();
  }
  if (url.pathname === "/big") {
    res.writeHead(200);
    return res.end("x".repeat(MAX_BODY_BYTES + 5000));
  }
  if (url.pathname === "/cookies") {
    res.writeHead(200, { "set-cookie": ["__Host-sid=abc; Secure; Path=/", "gone=; Max-Age=0"] });
    return res.end(req.headers.cookie ?? "");
  }
  if (url.pathname === "/echo") return res.end(req.headers.cookie ?? "none");
  res.end("ok");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (limits = { maxRequests: 1000, rate: 1000, maxDurationMs: 60_000 }) =>
  new HttpClient(new URL(base), new Budget(limits));

describe("the audit's HTTP client", () => {
  it("caps redirects and never follows them off the target's origin", async () => {
    const http = client();
    const loop = await http.send({ url: "/loop", jar: new CookieJar() });
    expect(loop.redirects).toHaveLength(5);
    expect(loop.status).toBe(302);
    const away = await http.send({ url: "/away", jar: null });
    expect(away.status).toBe(302);
    expect(away.redirects).toHaveLength(0);
    expect(() => http.resolve("http://198.51.100.1/")).toThrow(AuditError);
  });

  it("truncates huge bodies", async () => {
    expect((await client().send({ url: "/big", jar: null })).body.length).toBe(MAX_BODY_BYTES);
  });

  it("sends Secure cookies to loopback over HTTP and drops deleted cookies", async () => {
    const jar = new CookieJar();
    jar.set("gone", "old");
    await client().send({ url: "/cookies", jar });
    expect(jar.get("__Host-sid")).toBe("abc");
    expect(jar.get("gone")).toBeUndefined();
    expect((await client().send({ url: "/echo", jar })).body).toBe("__Host-sid=abc");
    expect(jar.header(false)).toBeUndefined();
  });

  it("stops at the request budget", async () => {
    const http = client({ maxRequests: 10, rate: 1000, maxDurationMs: 60_000 });
    for (let i = 0; i < 10; i++) await http.send({ url: "/", jar: null });
    await expect(http.send({ url: "/", jar: null })).rejects.toMatchObject({ code: "ERR_BUDGET" });
  });

  it("spaces requests to the rate", async () => {
    const waits: number[] = [];
    const budget = new Budget({ maxRequests: 100, rate: 20, maxDurationMs: 60_000 }, async (ms) => {
      waits.push(ms);
    });
    for (let i = 0; i < 6; i++) await budget.take();
    // Six requests at 20/s: five waits adding up to about 250 ms (minus the time the loop itself took).
    expect(waits).toHaveLength(5);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
  });

  it("refuses to wait past the time budget", async () => {
    await expect(new Budget({ maxRequests: 1, rate: 1, maxDurationMs: 1000 }).wait(5000)).rejects.toMatchObject({
      code: "ERR_BUDGET",
    });
  });
});

describe("discovery helpers", () => {
  it("detects the session cookie by name, else by the longest value", () => {
    expect(detectSessionCookie(["theme=dark", "PHPSESSID=abc123", "_ga=GA1.2.3"])).toBe("PHPSESSID");
    expect(detectSessionCookie(["lang=en", "zz=0123456789abcdef0123456789"])).toBe("zz");
    expect(detectSessionCookie(["sid=; Max-Age=0"])).toBeNull();
  });

  it("copies hidden inputs of the login form", () => {
    const html = `<form action="/search"><input type="hidden" name="q" value="x"></form>
      <form method="post" action="/login"><input type="hidden" name="csrf" value="a&amp;b">
      <input name="username"><input type='hidden' name='nonce' value='n1'></form>`;
    expect(hiddenInputs(html, "/login")).toEqual({ csrf: "a&b", nonce: "n1" });
  });

  it("knows loopback hosts", () => {
    for (const h of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "app.localhost"])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["example.com", "10.0.0.1", "::2", "128.0.0.1"]) expect(isLoopbackHost(h)).toBe(false);
  });
});

describe("malformed Set-Cookie headers", () => {
  // set-cookie-parser 2.x throws "Cannot read properties of undefined (reading 'split')" on these.
  const hostile = [";", ";;", " ;", "", "=x", "=;"];

  it("are skipped, not thrown, and do not disturb the cookies around them", () => {
    for (const line of hostile) expect(parseSetCookie(line), JSON.stringify(line)).toBeUndefined();
    expect(parseSetCookies(["a=1; Path=/", ...hostile, "b=2; Secure"]).map((c) => `${c.name}=${c.value}`)).toEqual([
      "a=1",
      "b=2",
    ]);
    const jar = new CookieJar();
    jar.absorb(["sid=abc; HttpOnly", ";", "theme=dark", "sid=; Max-Age=0", " ;", "lang=en"]);
    expect(jar.header(true)).toBe("theme=dark; lang=en");
    expect(jar.all().find((c) => c.name === "lang")?.raw).toBe("lang=en");
  });

  it("reach the client as evidence: a response with `Set-Cookie: ;` still fills the jar", async () => {
    const server = createServer((_req, res) => {
      res.setHeader("set-cookie", [";", "sid=s1; Path=/; HttpOnly", ";;"]);
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const target = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const http = new HttpClient(target, new Budget({ maxRequests: 10, rate: 100, maxDurationMs: 10_000 }));
      const jar = new CookieJar();
      const response = await http.send({ url: "/", jar });
      expect(response.setCookies).toEqual([";", "sid=s1; Path=/; HttpOnly", ";;"]);
      expect(jar.get("sid")).toBe("s1");
    } finally {
      server.close();
    }
  });
});

describe("long waits", () => {
  it("a wait beyond setTimeout's 2^31−1 ms limit is not cut to 1 ms", async () => {
    vi.useFakeTimers();
    try {
      const budget = new Budget({ maxRequests: 1, rate: 1, maxDurationMs: 40 * 86_400_000 });
      let done = false;
      const waiting = budget.wait(30 * 86_400_000).then(() => {
        done = true;
      });
      await vi.advanceTimersByTimeAsync(25 * 86_400_000);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(5 * 86_400_000);
      await waiting;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the time budget bounds every request (issue 13: a 120 s budget ran 219 s)", () => {
  it("a request queued behind the rate limit does not start after the deadline", async () => {
    const budget = new Budget({ maxRequests: 100, rate: 1, maxDurationMs: 1_500 }, async () => {});
    await budget.take();
    await budget.take(); // its slot, 1 s from now, is before the deadline
    await expect(budget.take()).rejects.toMatchObject({ code: "ERR_BUDGET" }); // 2 s from now is not
    expect(budget.sent).toBe(2);
  });

  it("a request in flight is cut when budget.maxDuration runs out, not after the 15 s request timeout", async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const target = new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`);
      const http = new HttpClient(target, new Budget({ maxRequests: 10, rate: 100, maxDurationMs: 300 }), 15_000);
      const error = await http.send({ url: "/", jar: null }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditError);
      expect(error).toMatchObject({ code: "ERR_BUDGET" });
      expect((error as AuditError).message).toMatch(/budget\.maxDuration\) ran out during the request/);
      await http.close();
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
