import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { ALL_CHECKS } from "../src/checks/index.js";
import { resolveConfig } from "../src/config/load.js";
import { silentProgress } from "../src/engine/progress.js";
import { runAudit } from "../src/engine/run.js";

/**
 * A broken, hostile target: the login works, but the token source answers
 * with 5 MB, logout drips its answer a byte at a time, the password form
 * never answers and the account page flips its answer. The audit must finish, with
 * inconclusive results where it could not decide, and no crash.
 */
let base = "";
let flip = 0;
const sessions = new Set<string>();
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const sid = /sid=([a-z0-9]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (url.pathname === "/") {
    res.writeHead(200, { "set-cookie": `sid=${Math.random().toString(36).slice(2)}${Date.now()}; Path=/; HttpOnly` });
    return res.end("x".repeat(5 * 1024 * 1024));
  }
  if (url.pathname === "/login" && req.method === "POST") {
    const id = crypto.randomUUID().replace(/-/g, "");
    sessions.add(id);
    res.writeHead(303, { location: "/account", "set-cookie": `sid=${id}; Path=/; HttpOnly; Secure; SameSite=Lax` });
    return res.end();
  }
  if (url.pathname === "/login") return res.end('<form method="post" action="/login"></form>');
  if (url.pathname === "/account") {
    flip++;
    if (sid !== undefined && sessions.has(sid) && flip % 7 !== 0) return res.end("Signed in as alice");
    if (flip % 7 === 0) {
      res.writeHead(500);
      return res.end("oops");
    }
    res.writeHead(401);
    return res.end("Please sign in");
  }
  if (url.pathname === "/logout" && req.method === "GET") {
    res.writeHead(302, { location: "/logout" });
    return res.end();
  }
  if (url.pathname === "/password") return; // never answers
  if (url.pathname === "/logout" && req.method === "POST") {
    // Drips one byte every 300 ms: each gap is short, the whole answer would take minutes.
    res.writeHead(200);
    const timer = setInterval(() => res.write("."), 300);
    res.on("close", () => clearInterval(timer));
    return;
  }
  res.writeHead(404);
  res.end();
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("a hostile or broken target", () => {
  it("makes checks inconclusive, never hangs or crashes the audit", { timeout: scaled(60_000) }, async () => {
    const config = resolveConfig(
      {
        login: { url: "/login", form: { username: "alice", password: "pw" } },
        authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
        logout: { url: "/logout", method: "POST" },
        passwordChange: {
          url: "/password",
          form: { current: "a", next: "b" },
          revert: { form: { current: "b", next: "a" } },
        },
        policy: { maxIdle: "30m", maxAbsolute: "12h" },
        budget: { maxRequests: 2000, rate: 1000, maxDuration: `${scaled(40)}s` },
      },
      base,
    );
    const report = await runAudit({
      config,
      samples: 100,
      checks: ALL_CHECKS,
      progress: () => silentProgress,
      verification: "test",
      requestTimeoutMs: scaled(1000),
    });
    const status = new Map(report.results.map((r) => [r.id, r]));
    expect(report.results).toHaveLength(28);
    expect(status.get("credential-change-invalidation")?.status).toBe("inconclusive");
    expect(status.get("credential-change-invalidation")?.reason).toMatch(/timed out|stopped answering/);
    expect(status.get("logout-invalidation")?.status).toBe("inconclusive");
    expect(status.get("logout-invalidation")?.reason).toMatch(/timed out/);
    // The 12 h absolute window cannot fit in a 40 s budget: said, not guessed.
    expect(status.get("absolute-timeout")?.status).toBe("inconclusive");
    expect(status.get("absolute-timeout")?.reason).toMatch(/budget/);
    expect(report.tokens.samples).toBeGreaterThan(0);
    expect(report.scan?.requests).toBeLessThanOrEqual(2000);
  });
});
