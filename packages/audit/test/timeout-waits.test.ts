import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import { absoluteTimeout } from "../src/checks/absolute-timeout.js";
import { idleTimeout } from "../src/checks/idle-timeout.js";
import { PROBE_RESERVE_MS, shortWait, waitMisfit } from "../src/checks/lib/real-wait.js";
import { resolveConfig } from "../src/config/load.js";
import { silentProgress } from "../src/engine/progress.js";
import { runAudit } from "../src/engine/run.js";
import { createTestContext } from "./helpers/context.js";
import { type SessionTarget, startSessionTarget } from "./helpers/session-target.js";

const DAY = 86_400_000;

describe("the arithmetic of real-time waits", () => {
  it("a wait fits only with room left for the probes", () => {
    expect(waitMisfit(20_000, 20_000 + PROBE_RESERVE_MS, "policy.maxIdle (20s)")).toBeNull();
    expect(waitMisfit(20_000, 20_000 + PROBE_RESERVE_MS - 1, "policy.maxIdle (20s)")).toMatch(
      /policy\.maxIdle \(20s\) needs a wait of 20s .*does not fit.*raise budget\.maxDuration/,
    );
    expect(waitMisfit(33 * DAY, 20_000, "policy.maxIdle (30d)")).toMatch(/33d.*20s left of budget\.maxDuration/);
  });

  it("a wait that ended early proves nothing", () => {
    expect(shortWait(33 * DAY, 1)).toMatch(/ended after 1ms/);
    expect(shortWait(5_000, 4_999)).toBeNull();
    expect(shortWait(5_000, 5_003)).toBeNull();
  });
});

/** A target whose sessions never expire: any confirmed timeout finding against it needs a real wait. */
let target: SessionTarget;
beforeAll(async () => {
  target = await startSessionTarget();
});
afterAll(() => target.close());

const config = (overrides: Record<string, unknown>): Record<string, unknown> => ({
  target: target.url,
  sessionCookie: "sid",
  login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
  authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
  ...overrides,
});

describe("idle-timeout and absolute-timeout never confirm a wait that did not happen", () => {
  it("a 30-day policy within a 20 s budget is inconclusive, and the audit keeps its budget", async () => {
    const resolved = resolveConfig(
      config({
        policy: { maxIdle: "30d", maxAbsolute: "30d" },
        budget: { maxRequests: 500, rate: 500, maxDuration: "20s" },
      }),
      undefined,
    );
    const report = await runAudit({
      config: resolved,
      samples: 100,
      checks: [idleTimeout, absoluteTimeout],
      progress: () => silentProgress,
      verification: "test",
    });
    for (const id of ["idle-timeout", "absolute-timeout"]) {
      const result = report.results.find((r) => r.id === id);
      expect(result?.status, `${id}: ${result?.reason}`).toBe("inconclusive");
      expect(result?.reason).toMatch(/30d.*does not fit in the .* left of budget\.maxDuration/);
    }
    expect(report.findings).toEqual([]);
    expect(report.scan?.durationMs).toBeLessThan(20_000);
  });

  it("a wait cut short (as setTimeout cuts one beyond 2^31−1 ms to 1 ms) gives no verdict", async () => {
    // The budget is large enough for the 30-day wait, but its timer fires at once: the checks must
    // notice on the monotonic clock that the session was never left alone that long.
    const { context, close } = await createTestContext(
      config({
        policy: { maxIdle: "30d", maxAbsolute: "30d" },
        budget: { maxRequests: 400, rate: 1000, maxDuration: "366d" },
      }),
    );
    const budget = context.http.budget;
    budget.wait = async () => {};
    try {
      const sentBefore = budget.sent;
      const idle = await idleTimeout.run(context);
      expect(idle.status, idle.reason).toBe("inconclusive");
      expect(idle.reason).toMatch(/a wait of 33d ended after .*no verdict/);
      const absolute = await absoluteTimeout.run(context);
      expect(absolute.status, absolute.reason).toBe("inconclusive");
      expect(absolute.reason).toMatch(/ended after .*no verdict/);
      // A login and a probe or two each: no loop of keep-alive requests without the waits between them.
      expect(budget.sent - sentBefore).toBeLessThan(20);
    } finally {
      await close();
    }
  });

  it("a real wait still confirms a session that never expires", { timeout: scaled(30_000) }, async () => {
    const { context, close } = await createTestContext(
      config({
        policy: { maxIdle: "100ms", maxAbsolute: "300ms" },
        budget: { maxRequests: 400, rate: 1000, maxDuration: "60s" },
      }),
    );
    try {
      const idle = await idleTimeout.run(context);
      expect(idle.status, idle.reason).toBe("vulnerable");
      expect(idle.confidence).toBe("confirmed");
      const absolute = await absoluteTimeout.run(context);
      expect(absolute.status, absolute.reason).toBe("vulnerable");
    } finally {
      await close();
    }
  });
});
