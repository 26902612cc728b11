import { afterEach, describe, expect, it } from "vitest";
import { concurrentSessions, limitShown } from "../src/checks/concurrent-sessions.js";
import type { CheckOutcome } from "../src/checks/types.js";
import { createTestContext } from "./helpers/context.js";
import { type LoginPolicy, type SessionTarget, seededRandom, startSessionTarget } from "./helpers/session-target.js";

const T = true;
const F = false;

describe("limitShown: which observations prove a limit", () => {
  it("the newest sessions kept and the oldest ended in order: an evict-oldest limit", () => {
    expect(limitShown([[T], [T, T], [F, T, T], [F, F, T, T]])).toEqual({ kind: "evicts-oldest", size: 2 });
    expect(limitShown([[T], [F, T], [F, F, T]])).toEqual({ kind: "evicts-oldest", size: 1 });
  });

  it("the first sessions kept and every later login refused: a refusing limit", () => {
    expect(limitShown([[T], [T, T], [T, T, F], [T, T, F, F]])).toEqual({ kind: "refuses-new", size: 2 });
  });

  it("losses out of order, no loss at all, or no session at all prove nothing", () => {
    // "after 4 logins only 2 sessions stay" — but not the newest two, and not the first two.
    expect(limitShown([[T], [T, T], [T, F, T], [F, F, T, T]])).toBeNull();
    expect(limitShown([[T], [T, T], [F, T, T], [F, T, F, T]])).toBeNull();
    expect(limitShown([[T], [T, T], [T, T, T]])).toBeNull();
    expect(limitShown([[F], [F, F], [F, F, F]])).toBeNull();
    expect(limitShown([])).toBeNull();
  });
});

let target: SessionTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function audit(policy: LoginPolicy, maxConcurrentSessions = 3): Promise<CheckOutcome> {
  target = await startSessionTarget({ policy });
  const { context, close } = await createTestContext({
    target: target.url,
    login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
    authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
    policy: { maxConcurrentSessions },
    budget: { maxRequests: 500, rate: 1000, maxDuration: "60s" },
  });
  try {
    return await concurrentSessions.run(context);
  } finally {
    await close();
  }
}

describe("concurrent-sessions against targets on 127.0.0.1", () => {
  it("a target that drops sessions at random is inconclusive, not passed", async () => {
    // Each login beyond two ends one of the user's sessions, picked at random: fewer sessions
    // than the policy survive, yet nothing is a limit. Seeded, so every run sees the same drops
    // (a random target can mimic a limit by chance, one run in 2^5 or so: these seeds do not).
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const random = seededRandom(seed);
      const result = await audit({
        onLogin: (sessions) =>
          sessions.length < 2 ? [] : [sessions[Math.floor(random() * sessions.length)] as string],
      });
      expect(result.status, `seed ${seed}: ${result.reason}`).toBe("inconclusive");
      expect(result.reason).toMatch(/not how a limit leaves them/);
      await target?.close();
      target = undefined;
    }
  });

  it("a limit that ends the oldest session passes, whatever its size up to the policy", async () => {
    for (const size of [1, 3]) {
      const result = await audit({
        onLogin: (sessions) => sessions.slice(0, Math.max(0, sessions.length - size + 1)),
      });
      expect(result.status, result.reason).toBe("passed");
      expect(result.reason).toMatch(/ended the oldest one, in order/);
      await target?.close();
      target = undefined;
    }
  });

  it("a limit that refuses new logins passes", async () => {
    // The audit's own earlier logins (discovery, baseline) hold two of the three places.
    const result = await audit({ onLogin: (sessions) => (sessions.length >= 3 ? false : []) });
    expect(result.status, result.reason).toBe("passed");
    expect(result.reason).toMatch(/the first 1 login stayed authenticated and the 7 later ones were refused/);
  });

  it("no limit at all is a confirmed finding", async () => {
    const result = await audit({});
    expect(result.status, result.reason).toBe("vulnerable");
    expect(result.variant).toBe("over-limit");
    expect(result.reason).toMatch(/4 sessions of one user are authenticated at once; the policy allows 3/);
  });

  it("a limit above the policy is a finding too, whether it evicts or refuses", async () => {
    const evicts = await audit({ onLogin: (sessions) => sessions.slice(0, Math.max(0, sessions.length - 4)) });
    expect(evicts.status, evicts.reason).toBe("vulnerable");
    await target?.close();
    target = undefined;
    // Five places, two held by the audit's earlier logins: three new ones, plus the audit's first session.
    const refuses = await audit({ onLogin: (sessions) => (sessions.length >= 5 ? false : []) });
    expect(refuses.status, refuses.reason).toBe("vulnerable");
    expect(refuses.evidence?.[0]).toMatch(/to 3 of these sessions and to the audit's first session/);
  });
});
