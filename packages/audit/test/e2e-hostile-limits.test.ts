import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { ALL_CHECKS } from "../src/checks/index.js";
import { resolveConfig } from "../src/config/load.js";
import { silentProgress } from "../src/engine/progress.js";
import { runAudit } from "../src/engine/run.js";
import { requireBuild, runCli, tempDir, writeConfig } from "./helpers/cli.js";
import { formBait, type SessionTarget, startSessionTarget } from "./helpers/session-target.js";

/**
 * Issue 13, defects 4 and 6: targets (and configurations) built to make the
 * auditor's own parsing and matching the bottleneck. Each audit ends within
 * its budget, with a clear result.
 */

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("a 1 MiB login page of repeated <form>/<input> markup", () => {
  let target: SessionTarget;
  beforeAll(async () => {
    // The login needs the hidden csrf input of that page, so the audit must really scan it.
    target = await startSessionTarget({ loginPage: formBait(1024 * 1024, "tok"), csrf: "tok" });
  });
  afterAll(() => target.close());

  it("is scanned at every login, and the audit ends within its budget", { timeout: scaled(120_000) }, async () => {
    const budgetMs = scaled(30_000);
    const config = resolveConfig(
      {
        sessionCookie: "sid",
        login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
        authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
        logout: { url: "/logout", method: "POST" },
        policy: { maxIdle: "30m", maxAbsolute: "12h", maxConcurrentSessions: 3 },
        budget: { maxRequests: 3000, rate: 500, maxDuration: `${budgetMs / 1000}s` },
      },
      target.url,
    );
    const report = await runAudit({
      config,
      samples: 100,
      checks: ALL_CHECKS,
      progress: () => silentProgress,
      verification: "test",
    });
    expect(report.results).toHaveLength(ALL_CHECKS.length);
    const byId = new Map(report.results.map((r) => [r.id, r]));
    // Logged in through the page's hidden input, and judged the logout.
    expect(byId.get("logout-invalidation")?.status, byId.get("logout-invalidation")?.reason).toBe("passed");
    expect(byId.get("fixation")?.status, byId.get("fixation")?.reason).toBe("passed");
    // The budget accounting: requests within the cap, the run within maxDuration plus a small grace
    // (the work after the last request: the report itself).
    expect(report.scan?.requests).toBeLessThanOrEqual(3000);
    expect(report.scan?.durationMs).toBeLessThanOrEqual(budgetMs + 2_000);
  });
});

describe("a catastrophic authCheck pattern", () => {
  let url = "";
  // Every page is 46 a's and a full stop: `(a+)+$` backtracks 2^46 times on it in a JavaScript RegExp.
  const server = createServer((req, res) => {
    if (req.method === "POST") {
      res.writeHead(303, { location: "/account", "set-cookie": "sid=s1; Path=/; HttpOnly" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${"a".repeat(46)}.`);
  });
  beforeAll(async () => {
    requireBuild();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("is matched in linear time: the login is judged failed at once (exit 3)", {
    timeout: scaled(90_000),
  }, async () => {
    const dir = tempDir();
    const config = writeConfig(dir, {
      login: { url: "/login", form: { username: "alice", password: "alice-pw" }, csrf: "off" },
      authCheck: { url: "/account", loggedIn: "(a+)+$" },
      budget: { maxDuration: "60s" },
    });
    const run = await runCli(["audit", url, "--config", config, "--out", dir, "--quiet"], {
      timeoutMs: scaled(60_000),
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/authCheck\.loggedIn/);
    noStackTrace(run.stderr);
  });

  it("a pattern RE2 cannot run is a configuration error (exit 2) naming the key and the pattern", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, {
      login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
      authCheck: { url: "/account", loggedIn: "Welcome, (alice|bob) \\1", loggedOut: "(?<!Not )signed out" },
    });
    const run = await runCli(["audit", url, "--config", config, "--out", dir, "--quiet"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /authCheck\.loggedIn: the regular expression "Welcome, \(alice\|bob\) \\\\1" uses a backreference/,
    );
    expect(run.stderr).toMatch(/authCheck\.loggedOut: .*lookbehind/);
    noStackTrace(run.stderr);
  });
});
