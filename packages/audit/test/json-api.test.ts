import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { ALL_CHECKS } from "../src/checks/index.js";
import { resolveConfig } from "../src/config/load.js";
import { silentProgress } from "../src/engine/progress.js";
import { runAudit } from "../src/engine/run.js";

/**
 * A JSON API with a well-built session cookie, plus a sloppy analytics
 * cookie (no Secure, no HttpOnly, a year long) that is not the session: the
 * JSON login must work, and the analytics cookie must not produce findings.
 */
const sessions = new Map<string, string>();
let base = "";
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  const sid = /(?:^|; )__Host-api=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "")?.[1];
  const json = (status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  };
  const analytics = `_ga=GA1.2.${Date.now()}; Max-Age=31536000; Path=/`;
  if (url.pathname === "/api/login" && req.method === "POST") {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const { username, password } = JSON.parse(body || "{}") as { username?: string; password?: string };
      if (username !== "alice" || password !== "alice-pw") return json(401, { error: "bad credentials" });
      if (sid !== undefined) sessions.delete(sid);
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, "alice");
      json(
        200,
        { ok: true },
        { "set-cookie": [`__Host-api=${id}; Path=/; Secure; HttpOnly; SameSite=Strict`, analytics] },
      );
    });
    return;
  }
  if (url.pathname === "/api/me") {
    const user = sid === undefined ? undefined : sessions.get(sid);
    return user === undefined ? json(401, { error: "unauthenticated" }) : json(200, { username: user });
  }
  if (url.pathname === "/api/logout" && req.method === "POST") {
    if (sid !== undefined) sessions.delete(sid);
    return json(
      200,
      { ok: true },
      { "set-cookie": "__Host-api=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict" },
    );
  }
  if (url.pathname === "/api/session") {
    const id = randomBytes(32).toString("base64url");
    sessions.set(id, "");
    return json(200, {}, { "set-cookie": [`__Host-api=${id}; Path=/; Secure; HttpOnly; SameSite=Strict`, analytics] });
  }
  json(404, { error: "not found" });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("auditing a JSON API", () => {
  it("logs in with a JSON body, detects the session cookie, and ignores the analytics cookie", {
    timeout: scaled(60_000),
  }, async () => {
    const config = resolveConfig(
      {
        login: { url: "/api/login", json: { username: "alice", password: "alice-pw" }, csrf: "off" },
        authCheck: { url: "/api/me", loggedIn: '"username":"alice"', loggedOut: "unauthenticated" },
        logout: { url: "/api/logout", method: "POST" },
        tokenSource: { url: "/api/session" },
        policy: { maxIdle: "30m", maxAbsolute: "12h" },
        budget: { maxRequests: 3000, rate: 2000, maxDuration: "30s" },
      },
      base,
    );
    const report = await runAudit({
      config,
      samples: 200,
      checks: ALL_CHECKS,
      progress: () => silentProgress,
      verification: "test",
    });
    expect(report.scan?.sessionCookie).toBe("__Host-api");
    const status = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
    expect(status["logout-invalidation"]).toBe("passed");
    expect(status.fixation).toBe("passed");
    expect(status["id-adoption"]).toBe("passed");
    for (const id of ["cookie-secure", "cookie-httponly", "cookie-samesite", "cookie-persistent", "cookie-prefix"]) {
      expect(status[id], id).toBe("passed");
    }
    expect(report.findings.filter((f) => f.severity !== "info" && f.severity !== "low").map((f) => f.id)).toEqual([]);
    expect(JSON.stringify(report)).not.toContain("alice-pw");
  });
});
