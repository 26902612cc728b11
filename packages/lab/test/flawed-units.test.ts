/**
 * The legacy session system's parts on their own: memory bounds, throttling
 * windows and client-side state verification, with an injected clock.
 */
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { ClientState } from "../src/flawed/client-state.js";
import { clearingCookie, parseCookieHeader, SECURE_ATTRIBUTES, serializeCookie } from "../src/flawed/cookies.js";
import type { PlantableFlaw } from "../src/flawed/flaws.js";
import { SessionTable } from "../src/flawed/session-table.js";
import { InvalidIdThrottle } from "../src/flawed/throttle.js";
import { parsePredictableVariant, selectGenerator } from "../src/flawed/tokens.js";

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("SessionTable", () => {
  test("stays within its capacity, dropping the oldest sessions first", () => {
    let now = 0;
    const table = new SessionTable({ idleMs: null, absoluteMs: null, capacity: 5, now: () => now });
    for (let i = 0; i < 20; i++) {
      now += 1;
      table.create(`s${i}`);
    }
    expect(table.size).toBe(5);
    expect(table.peek("s14")).toBeUndefined();
    expect(table.peek("s15")).toBeDefined();
  });

  test("sweeps expired sessions and enforces idle and absolute timeouts", () => {
    let now = 0;
    const table = new SessionTable({ idleMs: 10, absoluteMs: 25, now: () => now });
    table.create("a");
    table.create("b");
    now = 8;
    expect(table.use("a")).toBeDefined();
    now = 15;
    expect(table.peek("b")).toBeUndefined();
    expect(table.use("a")).toBeDefined();
    table.sweep();
    expect(table.size).toBe(1);
    now = 24;
    expect(table.use("a")).toBeDefined();
    now = 26;
    expect(table.use("a")).toBeUndefined();
  });

  test("limits and revokes per user, keeping the newest logins", () => {
    let now = 0;
    const table = new SessionTable({ idleMs: null, absoluteMs: null, now: () => now });
    for (const id of ["a", "b", "c", "d"]) {
      now += 1;
      table.authenticate(table.create(id), "alice");
    }
    table.authenticate(table.create("z"), "bob");
    table.limit("alice", 3);
    expect(table.sessionsOf("alice").map((record) => record.id)).toEqual(["b", "c", "d"]);
    table.revokeOthers("alice", "c");
    expect(table.sessionsOf("alice").map((record) => record.id)).toEqual(["c"]);
    expect(table.sessionsOf("bob").map((record) => record.id)).toEqual(["z"]);
  });
});

describe("InvalidIdThrottle", () => {
  test("blocks after more than `limit` distinct unknown ids in the window, for `blockMs`", () => {
    let now = 0;
    const throttle = new InvalidIdThrottle({ limit: 3, windowMs: 100, blockMs: 50, now: () => now });
    for (const id of ["a", "b", "c", "a", "b"]) expect(throttle.recordUnknown("ip", id)).toBe(false);
    expect(throttle.recordUnknown("ip", "d")).toBe(true);
    expect(throttle.retryAfter("ip")).toBe(1);
    expect(throttle.retryAfter("other")).toBe(0);
    now = 51;
    expect(throttle.retryAfter("ip")).toBe(0);
  });

  test("forgets ids older than the window and bounds the clients it tracks", () => {
    let now = 0;
    const throttle = new InvalidIdThrottle({ limit: 2, windowMs: 10, maxClients: 2, now: () => now });
    throttle.recordUnknown("ip", "a");
    throttle.recordUnknown("ip", "b");
    now = 20;
    expect(throttle.recordUnknown("ip", "c")).toBe(false);
    expect(throttle.recordUnknown("ip", "d")).toBe(false);
    for (const client of ["x", "y", "z"]) throttle.recordUnknown(client, "q");
    expect(throttle.recordUnknown("ip", "e")).toBe(false);
  });
});

describe("ClientState", () => {
  const state = (flaws: PlantableFlaw[], now = () => 1_000_000_000) =>
    new ClientState(new Set(flaws), { jwtLifetimeSeconds: 60, now });

  test("issues nothing and reads nothing without a state or JWT flaw", () => {
    const plain = state([]);
    expect(plain.issue({ user: "alice", role: "user" })).toEqual([]);
    expect(plain.read(new Map([["profile", "garbage"]]))).toEqual({ ok: true });
  });

  test("rejects an expired JWT unless jwt-expiry is planted", () => {
    let now = 1_000_000_000;
    const strict = state(["jwt-alg-none"], () => now);
    const [[, token] = ["", ""]] = strict.issue({ user: "alice", role: "user" });
    expect(strict.read(new Map([["token", token]]))).toMatchObject({ ok: true, jwt: { user: "alice" } });
    now += 61_000;
    expect(strict.read(new Map([["token", token]]))).toEqual({ ok: false });
    const lax = state(["jwt-alg-none", "jwt-expiry"], () => now);
    const expired = `${b64url({ alg: "none" })}.${b64url({ sub: "bob", exp: 1 })}.`;
    expect(lax.read(new Map([["token", expired]]))).toMatchObject({ ok: true, jwt: { user: "bob" } });
  });

  test("signs the JWT with the weak key when state-weak-key is planted, and refuses other algorithms", () => {
    const weak = state(["jwt-expiry", "state-weak-key"]);
    const [, [, token] = ["", ""]] = weak.issue({ user: "alice", role: "user" });
    const [header = "", payload = "", signature = ""] = token.split(".");
    expect(createHmac("sha256", "secret").update(`${header}.${payload}`).digest("base64url")).toBe(signature);
    const hs512 = `${b64url({ alg: "HS512" })}.${payload}.${signature}`;
    expect(weak.read(new Map([["token", hs512]]))).toEqual({ ok: false });
  });
});

describe("cookies and generators", () => {
  test("serializes, clears and parses cookies", () => {
    expect(serializeCookie("__Host-sid", "v", SECURE_ATTRIBUTES)).toBe(
      "__Host-sid=v; Path=/; Secure; HttpOnly; SameSite=Lax",
    );
    expect(clearingCookie("sid", { ...SECURE_ATTRIBUTES, domain: "localhost" })).toBe(
      "sid=; Path=/; Domain=localhost; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax",
    );
    expect([...parseCookieHeader('a=1; b="2"; a=3; =x; c')]).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  test("the secure generator is chosen when no token flaw is planted; precedence otherwise", () => {
    expect(selectGenerator(new Set()).flaw).toBeNull();
    expect(selectGenerator(new Set<PlantableFlaw>(["token-bias", "token-length"])).flaw).toBe("token-length");
    expect(selectGenerator(new Set<PlantableFlaw>(["token-decodable", "token-predictable"])).flaw).toBe(
      "token-predictable",
    );
    expect(() => parsePredictableVariant("dice")).toThrow(/md5-counter/);
  });
});
