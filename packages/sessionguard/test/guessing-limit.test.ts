import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { nodeSessions } from "../src/adapters/node.js";
import { isSessionError } from "../src/index.js";
import { generateToken } from "../src/utils.js";
import { setup } from "./helpers/harness.js";

describe("invalid-token limit (session-id guessing)", () => {
  it("blocks a client after too many invalid tokens, only that client, only for the block time", async () => {
    const { manager, clock } = setup({ guessingLimit: { max: 3, window: "1m", block: "2m" } });
    const guess = (ip: string) => manager.load({ cookieHeader: `__Host-sid=${generateToken()}`, ip });
    for (let i = 0; i < 4; i++) await guess("198.51.100.9");
    const blocked = await guess("198.51.100.9").catch((e: unknown) => e);
    expect(isSessionError(blocked, "ERR_RATE_LIMITED")).toBe(true);
    expect((blocked as Error).message).toMatch(/retry in 120 s/);
    expect(isSessionError(blocked, "ERR_RATE_LIMITED") && blocked.details.retryAfter).toBe(120);
    // Another client and cookie-less requests are unaffected.
    expect((await guess("203.0.113.1")).userId).toBeNull();
    expect((await manager.load({ cookieHeader: undefined, ip: "198.51.100.9" })).isNew).toBe(true);
    clock.advance(2 * 60_000 + 1);
    expect((await guess("198.51.100.9")).userId).toBeNull();
  });

  it("counts an IPv6 /64 as one client", async () => {
    const { manager } = setup({ guessingLimit: { max: 3 } });
    for (let i = 0; i < 4; i++) {
      await manager.load({ cookieHeader: `__Host-sid=${generateToken()}`, ip: `2001:db8:1:2::${i + 1}` });
    }
    const blocked = await manager
      .load({ cookieHeader: `__Host-sid=${generateToken()}`, ip: "2001:db8:1:2:ffff::9" })
      .catch((e: unknown) => e);
    expect(isSessionError(blocked, "ERR_RATE_LIMITED")).toBe(true);
  });

  it("is off by default", async () => {
    const { manager } = setup();
    for (let i = 0; i < 50; i++) {
      const session = await manager.load({ cookieHeader: `__Host-sid=${generateToken()}`, ip: "198.51.100.9" });
      expect(session.isNew).toBe(true);
    }
  });

  it("adapters answer 429 with Retry-After", async () => {
    const { manager } = setup({ guessingLimit: { max: 2 } });
    const server = createServer(nodeSessions(manager).wrap((_req, res) => res.end("ok")));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(url, { headers: { cookie: `__Host-sid=${generateToken()}` } });
      statuses.push(last.status);
      await last.text();
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last?.headers.get("retry-after")).toBe("300");
    expect((await fetch(url)).status).toBe(200);
  });
});
