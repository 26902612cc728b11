import { describe, expect, it } from "vitest";
import { generateKey, isSessionError, type SessionEvent, SessionManager } from "../src/index.js";
import { generateToken, hashToken } from "../src/utils.js";
import { Browser, setup } from "./helpers/harness.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("tokens come only from the cookie and only if issued (L5)", () => {
  it("an id the server never issued is never adopted", async () => {
    const { manager, store } = setup();
    const attacker = new Browser(manager).withToken(generateToken());
    const chosen = attacker.token as string;
    const userId = await attacker.request((s) => {
      s.set("x", 1);
      return s.userId;
    });
    expect(userId).toBeNull();
    expect(attacker.token).toBeDefined();
    expect(attacker.token).not.toBe(chosen);
    expect(await store.get(await hashToken(chosen))).toBeNull();
  });

  it("an unknown token yields an anonymous request and a clearing cookie", async () => {
    const { manager } = setup();
    const events: SessionEvent[] = [];
    manager.on("rejected", (e) => events.push(e));
    const b = new Browser(manager).withToken(generateToken());
    const anonymous = await b.request((s) => s.isNew && !s.isAuthenticated);
    expect(anonymous).toBe(true);
    expect(b.lastSetCookie[0]).toMatch(/Max-Age=0/);
    expect(events.map((e) => e.reason)).toEqual(["unknown"]);
  });
});

describe("a new token on every authentication and privilege change (L6)", () => {
  it("login gives a new token and the old one no longer works", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.set("cart", ["apple"]));
    const before = b.token as string;
    await b.request((s) => s.login("alice", { keep: ["cart"] }));
    expect(b.token).not.toBe(before);
    expect(await b.request((s) => [s.userId, s.get("cart")])).toEqual(["alice", ["apple"]]);
    expect(await b.withToken(before).request((s) => s.userId)).toBeNull();
  });

  it("login keeps only the data the app asks to keep", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => {
      s.set("cart", 1);
      s.set("planted", "attacker");
    });
    await b.request((s) => s.login("alice"));
    expect(await b.request((s) => s.keys())).toEqual([]);
    await b.request((s) => s.set("cart", 2));
    await b.request((s) => s.login("alice", { keep: "all" }));
    expect(await b.request((s) => s.get("cart"))).toBe(2);
  });

  it("a privilege change (regenerate) issues a new token, keeps user and data", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request(async (s) => {
      await s.login("alice");
      s.set("role", "user");
    });
    const before = b.token as string;
    await b.request(async (s) => {
      s.set("role", "admin");
      await s.regenerate();
    });
    expect(b.token).not.toBe(before);
    expect(await b.request((s) => [s.userId, s.get("role")])).toEqual(["alice", "admin"]);
    expect(await b.withToken(before).request((s) => s.userId)).toBeNull();
  });

  it("periodic rotation: a new token after the interval, the old one works only during the grace period", async () => {
    const { manager, clock } = setup({ rotation: { interval: "10m", grace: "30s" } });
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const first = b.token as string;
    clock.advance(11 * MIN);
    await b.request();
    const second = b.token as string;
    expect(second).not.toBe(first);
    const inFlight = b.withToken(first);
    expect(await inFlight.request((s) => s.userId)).toBe("alice");
    expect(inFlight.lastSetCookie).toEqual([]);
    clock.advance(31_000);
    expect(await b.withToken(first).request((s) => s.userId)).toBeNull();
    expect(await b.request((s) => s.userId)).toBe("alice");
    expect(await manager.listSessions("alice")).toHaveLength(1);
  });
});

describe("idle and absolute timeouts (L7)", () => {
  it("idle timeout ends a session left alone for 30 minutes", async () => {
    const { manager, clock } = setup();
    const events: SessionEvent[] = [];
    manager.on("expired", (e) => events.push(e));
    manager.on("rejected", (e) => events.push(e));
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    clock.advance(29 * MIN);
    expect(await b.request((s) => s.userId)).toBe("alice");
    clock.advance(30 * MIN + 1);
    expect(await b.request((s) => s.userId)).toBeNull();
    // Stores keep answering for expired records a while, so this is an `expired` event (see below).
    expect(events).toHaveLength(1);
    expect(b.lastSetCookie[0]).toMatch(/Max-Age=0/);
  });

  it("a timed-out token fires `expired` (not `rejected`), yields an anonymous request and is never adopted", async () => {
    const { manager, clock, store } = setup();
    const events: SessionEvent[] = [];
    manager.on("*", (e) => events.push(e));
    const b = new Browser(manager);
    const sid = await b.request(async (s) => {
      await s.login("alice");
      return s.id;
    });
    const old = b.token as string;
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (id) => {
      reads++;
      return get(id);
    };
    // One store round trip per authenticated read, with or without the expiry bookkeeping.
    clock.advance(10 * MIN);
    expect(await b.request((s) => s.userId)).toBe("alice");
    expect(reads).toBe(1);
    clock.advance(30 * MIN);
    const fresh = await b.withToken(old).request((s) => {
      s.set("cart", ["book"]);
      return { userId: s.userId, isNew: s.isNew };
    });
    expect(fresh).toEqual({ userId: null, isNew: true });
    expect(reads).toBe(2);
    const expired = events.filter((e) => e.type === "expired");
    expect(expired).toEqual([expect.objectContaining({ type: "expired", reason: "idle", sid, userId: "alice" })]);
    expect(events.some((e) => e.type === "rejected")).toBe(false);
    expect(JSON.stringify(events)).not.toContain(old);
    // L5: the request got a new token, never the expired one back.
    const issued = b.withToken(old);
    await issued.request((s) => s.set("x", 1));
    expect(issued.token).toBeDefined();
    expect(issued.token).not.toBe(old);
    expect(events.at(-2)).toMatchObject({ type: "rejected", reason: "unknown" });
  });

  it("absolute timeout ends an active session after 12 hours", async () => {
    const { manager, clock } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    for (let t = 0; t < 12 * HOUR - 20 * MIN; t += 20 * MIN) {
      clock.advance(20 * MIN);
      expect(await b.request((s) => s.userId)).toBe("alice");
    }
    clock.advance(20 * MIN);
    expect(await b.request((s) => s.userId)).toBeNull();
  });

  it("per-session timeouts override the app defaults", async () => {
    const { manager, clock } = setup();
    const b = new Browser(manager);
    await b.request(async (s) => {
      await s.login("alice");
      s.setTimeouts({ idle: "5m" });
    });
    clock.advance(6 * MIN);
    expect(await b.request((s) => s.userId)).toBeNull();
  });

  it("activity writes are throttled: reads inside the window do not write", async () => {
    const { manager, clock, store } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    let updates = 0;
    const original = store.update.bind(store);
    store.update = async (r, v) => {
      updates++;
      return original(r, v);
    };
    // The default window is 60 s: 90 one-second-apart reads write activity once.
    for (let i = 0; i < 90; i++) {
      clock.advance(1000);
      await b.request((s) => s.userId);
    }
    expect(updates).toBe(1);
  });

  it("a persistent cookie never outlives the idle or absolute deadline", async () => {
    const { manager, clock } = setup({ cookie: { persistent: true }, idleTimeout: "30m", absoluteTimeout: "1h" });
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    expect(b.lastSetCookie[0]).toMatch(/Max-Age=1800(;|$)/);
    clock.advance(50 * MIN - 25 * MIN);
    await b.request();
    clock.advance(25 * MIN);
    await b.request();
    // 50 minutes in: 10 minutes of the absolute hour are left, less than the idle window.
    expect(b.lastSetCookie[0]).toMatch(/Max-Age=600(;|$)/);
  });
});

describe("logout (L8)", () => {
  it("destroys the session server-side and expires the cookie", async () => {
    const { manager } = setup({ clearSiteData: true });
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const token = b.token as string;
    const session = await manager.load({ cookieHeader: `__Host-sid=${token}` });
    await session.logout();
    const out = await manager.commit(session);
    expect(out.setCookie[0]).toMatch(/^__Host-sid=; Max-Age=0/);
    expect(out.headers).toContainEqual(["Clear-Site-Data", '"cookies"']);
    expect(await b.withToken(token).request((s) => s.userId)).toBeNull();
  });
});

describe("per-user index and revocation (L9)", () => {
  it("lists, revokes one, revokes others and revokes all on every device", async () => {
    const { manager } = setup();
    const laptop = new Browser(manager, { ip: "198.51.100.1", userAgent: "Laptop" });
    const phone = new Browser(manager, { ip: "198.51.100.2", userAgent: "Phone" });
    const tablet = new Browser(manager, { ip: "198.51.100.3", userAgent: "Tablet" });
    for (const b of [laptop, phone, tablet]) await b.request((s) => s.login("alice"));
    await new Browser(manager).request((s) => s.login("bob"));
    const list = await manager.listSessions("alice");
    expect(list.map((s) => s.userAgent).sort()).toEqual(["Laptop", "Phone", "Tablet"]);
    expect(list.every((s) => /^[A-Za-z0-9_-]{22}$/.test(s.id))).toBe(true);

    const phoneId = list.find((s) => s.userAgent === "Phone")?.id as string;
    expect(await manager.revokeSession("alice", phoneId)).toBe(true);
    expect(await phone.request((s) => s.userId)).toBeNull();

    expect(await laptop.request((s) => s.revokeOthers())).toBe(1);
    expect(await tablet.request((s) => s.userId)).toBeNull();
    expect(await laptop.request((s) => s.userId)).toBe("alice");

    expect(await manager.revokeUser("alice", { reason: "account-disabled" })).toBe(1);
    expect(await laptop.request((s) => s.userId)).toBeNull();
    expect(await manager.listSessions("bob")).toHaveLength(1);
  });

  it("a credential change ends the other sessions and renews this token", async () => {
    const { manager } = setup();
    const a = new Browser(manager);
    const b = new Browser(manager);
    await a.request((s) => s.login("alice"));
    await b.request((s) => s.login("alice"));
    const before = a.token as string;
    expect(await a.request((s) => s.credentialsChanged())).toBe(1);
    expect(a.token).not.toBe(before);
    expect(await b.request((s) => s.userId)).toBeNull();
    expect(await a.request((s) => s.userId)).toBe("alice");
  });
});

describe("concurrent-session limit (L10)", () => {
  it("evict-oldest ends the oldest session", async () => {
    const { manager, clock } = setup({ maxSessionsPerUser: 2 });
    const devices = [new Browser(manager), new Browser(manager), new Browser(manager)];
    for (const d of devices) {
      await d.request((s) => s.login("alice"));
      clock.advance(1000);
    }
    expect(await devices[0]?.request((s) => s.userId)).toBeNull();
    expect(await devices[1]?.request((s) => s.userId)).toBe("alice");
    expect(await devices[2]?.request((s) => s.userId)).toBe("alice");
  });

  it("reject refuses the new login with ERR_SESSION_LIMIT", async () => {
    const { manager } = setup({ maxSessionsPerUser: 1, sessionLimitPolicy: "reject" });
    await new Browser(manager).request((s) => s.login("alice"));
    const second = new Browser(manager);
    const error = await second.request((s) => s.login("alice").catch((e: unknown) => e));
    expect(isSessionError(error, "ERR_SESSION_LIMIT")).toBe(true);
    expect(await second.request((s) => s.userId)).toBeNull();
    expect(await manager.listSessions("alice")).toHaveLength(1);
  });
});

describe("no lost updates (L11)", () => {
  it("100 parallel requests that each set a different key all persist", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    await Promise.all(Array.from({ length: 100 }, (_, i) => b.withToken(b.token).request((s) => s.set(`k${i}`, i))));
    const data = await b.request((s) => s.toJSON());
    expect(Object.keys(data)).toHaveLength(100);
    for (let i = 0; i < 100; i++) expect(data[`k${i}`]).toBe(i);
  });

  it("parallel writers on two managers (two processes) sharing one store still merge", async () => {
    const { store, clock } = setup();
    // Two managers with the same keys and store, as two processes of one app would have.
    const keys = [generateKey()];
    const m1 = new SessionManager({ store, keys, clock: () => clock.now });
    const m2 = new SessionManager({ store, keys, clock: () => clock.now });
    const c = new Browser(m1);
    await c.request((s) => s.set("start", true));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new Browser(i % 2 ? m1 : m2).withToken(c.token).request((s) => s.set(`k${i}`, i)),
      ),
    );
    expect(Object.keys(await c.request((s) => s.toJSON()))).toHaveLength(41);
  });
});

describe("events (L12)", () => {
  it("carry a salted hash of the session id, never the token or the store key", async () => {
    const { manager } = setup();
    const events: SessionEvent[] = [];
    const lines: string[] = [];
    manager.on("*", (e) => events.push(e));
    const { jsonLinesLogger } = await import("../src/index.js");
    manager.on(
      "*",
      jsonLinesLogger((line) => lines.push(line)),
    );
    const b = new Browser(manager);
    await b.request((s) => s.set("a", 1));
    const anonymousToken = b.token as string;
    await b.request((s) => s.login("alice"));
    const token = b.token as string;
    await b.request((s) => s.logout());
    expect(events.map((e) => e.type)).toEqual(["created", "authenticated", "created", "logout"]);
    const text = lines.join("");
    for (const secret of [anonymousToken, token, await hashToken(token), await hashToken(anonymousToken)]) {
      expect(text).not.toContain(secret);
    }
    expect(events[1]?.previousSid).toBe(events[0]?.sid);
    expect(JSON.parse(lines[1] as string)).toMatchObject({
      type: "authenticated",
      userId: "alice",
      source: "sessionguard",
    });
  });

  it("a throwing listener does not break the request", async () => {
    const { manager } = setup();
    manager.on("created", () => {
      throw new Error("log sink down");
    });
    const b = new Browser(manager);
    await b.request((s) => s.set("a", 1));
    expect(await b.request((s) => s.get("a"))).toBe(1);
  });
});

describe("binding checks (L13)", () => {
  it("a user-agent change emits anomaly; with the revoke policy it ends the session", async () => {
    for (const action of ["log", "revoke"] as const) {
      const { manager } = setup({ binding: { userAgent: true, action } });
      const anomalies: SessionEvent[] = [];
      manager.on("anomaly", (e) => anomalies.push(e));
      const victim = new Browser(manager, { ip: "203.0.113.7", userAgent: "Victim/1.0" });
      await victim.request((s) => s.login("alice"));
      const thief = new Browser(manager, { ip: "192.0.2.66", userAgent: "Thief/2.0" }).withToken(victim.token);
      const seen = await thief.request((s) => s.userId);
      expect(anomalies).toHaveLength(1);
      expect(anomalies[0]?.reason).toBe("user-agent");
      expect(seen).toBe(action === "log" ? "alice" : null);
      expect(await victim.request((s) => s.userId)).toBe(action === "log" ? "alice" : null);
    }
  });

  it("an IP-network change is an anomaly only when enabled, and a /24 move is not", async () => {
    const { manager } = setup({ binding: { userAgent: false, ipNetwork: true } });
    const anomalies: SessionEvent[] = [];
    manager.on("anomaly", (e) => anomalies.push(e));
    const b = new Browser(manager, { ip: "203.0.113.7", userAgent: "UA" });
    await b.request((s) => s.login("alice"));
    await new Browser(manager, { ip: "203.0.113.200", userAgent: "UA" }).withToken(b.token).request();
    expect(anomalies).toHaveLength(0);
    await new Browser(manager, { ip: "198.51.100.9", userAgent: "UA" }).withToken(b.token).request();
    expect(anomalies.map((a) => a.reason)).toEqual(["ip-network"]);
  });
});

describe("CSRF synchronizer token (L14)", () => {
  it("verifies the session's token and rotates it at login", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    const before = await b.request((s) => s.csrfToken());
    expect(await b.request((s) => s.verifyCsrfToken(before))).toBe(true);
    expect(await b.request((s) => s.verifyCsrfToken(`${before}x`))).toBe(false);
    expect(await b.request((s) => s.verifyCsrfToken(undefined))).toBe(false);
    await b.request((s) => s.login("alice"));
    expect(await b.request((s) => s.verifyCsrfToken(before))).toBe(false);
    const after = await b.request((s) => s.csrfToken());
    expect(after).not.toBe(before);
    expect(await b.request((s) => s.verifyCsrfToken(after))).toBe(true);
  });

  it("the origin check refuses cross-site unsafe requests", () => {
    const { manager } = setup({ csrf: { trustedOrigins: ["https://partner.example"] } });
    const h = (headers: Record<string, string>) => (name: string) => headers[name];
    expect(manager.checkOrigin("GET", h({ "sec-fetch-site": "cross-site" })).ok).toBe(true);
    expect(manager.checkOrigin("POST", h({ "sec-fetch-site": "cross-site" })).ok).toBe(false);
    expect(manager.checkOrigin("POST", h({ "sec-fetch-site": "same-origin" })).ok).toBe(true);
    expect(manager.checkOrigin("POST", h({ origin: "https://evil.example", host: "app.example" })).ok).toBe(false);
    expect(manager.checkOrigin("POST", h({ origin: "null", host: "app.example" })).ok).toBe(false);
    expect(manager.checkOrigin("POST", h({ origin: "https://app.example", host: "app.example" })).ok).toBe(true);
    expect(
      manager.checkOrigin("POST", h({ origin: "https://partner.example", "sec-fetch-site": "cross-site" })).ok,
    ).toBe(true);
    expect(manager.checkOrigin("DELETE", h({})).ok).toBe(true);
  });
});

describe("stored state is useless to a thief (L2, L3)", () => {
  it("a store dump holds no usable token and no plaintext session data", async () => {
    const { manager, store } = setup();
    const b = new Browser(manager);
    await b.request(async (s) => {
      await s.login("alice");
      s.set("creditCard", "4111-1111-1111-1111");
      s.set("email", "alice@example.com");
    });
    const dump = JSON.stringify(await store.listByUser("alice"));
    expect(dump).not.toContain(b.token as string);
    expect(dump).not.toContain("4111");
    expect(dump).not.toContain("alice@example.com");
    // Replaying the stored key as a cookie does not work.
    const [record] = await store.listByUser("alice");
    expect(await b.withToken(record?.id).request((s) => s.userId)).toBeNull();
  });

  it("key rotation logs nobody out, and re-encrypts with the new key on the next write", async () => {
    const { store, clock } = setup();
    const oldKey = generateKey();
    const m1 = new SessionManager({ store, keys: [oldKey], clock: () => clock.now });
    const b = new Browser(m1);
    await b.request(async (s) => {
      await s.login("alice");
      s.set("theme", "dark");
    });
    const m2 = new SessionManager({ store, keys: [generateKey(), oldKey], clock: () => clock.now });
    const b2 = new Browser(m2).withToken(b.token);
    expect(await b2.request((s) => [s.userId, s.get("theme")])).toEqual(["alice", "dark"]);
    const [before] = await store.listByUser("alice");
    await b2.request((s) => s.set("theme", "light"));
    const [after] = await store.listByUser("alice");
    expect(after?.data.split(".")[0]).not.toBe(before?.data.split(".")[0]);
  });

  it("an activity-only write re-seals under the current key, and dropping the old key ends even an empty session", async () => {
    const { store, clock } = setup();
    const oldKey = generateKey();
    const newKey = generateKey();
    const m1 = new SessionManager({ store, keys: [oldKey], clock: () => clock.now });
    const touched = new Browser(m1);
    await touched.request((s) => s.login("alice"));
    const untouched = new Browser(m1);
    await untouched.request((s) => s.login("bob"));
    const keyIdOf = async (user: string): Promise<string | undefined> =>
      (await store.listByUser(user))[0]?.data.split(".")[0];
    const oldKeyId = await keyIdOf("alice");
    const m2 = new SessionManager({ store, keys: [newKey, oldKey], clock: () => clock.now });
    clock.advance(10 * 60_000);
    expect(await new Browser(m2).withToken(touched.token).request((s) => s.userId)).toBe("alice");
    expect(await keyIdOf("alice")).not.toBe(oldKeyId);
    const m3 = new SessionManager({ store, keys: [newKey], clock: () => clock.now });
    expect(await new Browser(m3).withToken(touched.token).request((s) => s.userId)).toBe("alice");
    expect(await new Browser(m3).withToken(untouched.token).request((s) => s.userId)).toBeNull();
  });

  it("an envelope moved to another record does not open there", async () => {
    const { manager, store } = setup();
    const a = new Browser(manager);
    const b = new Browser(manager);
    await a.request(async (s) => {
      await s.login("alice");
      s.set("role", "admin");
    });
    await b.request(async (s) => {
      await s.login("mallory");
      s.set("role", "user");
    });
    const [adminRecord] = await store.listByUser("alice");
    const [malloryRecord] = await store.listByUser("mallory");
    if (!adminRecord || !malloryRecord) throw new Error("records missing");
    await store.update(
      { ...malloryRecord, data: adminRecord.data, version: malloryRecord.version + 1 },
      malloryRecord.version,
    );
    expect(await b.request((s) => s.get("role"))).toBeUndefined();
    expect(await b.request((s) => s.userId)).toBeNull();
  });
});

describe("hostile cookies never throw (L5, L16)", () => {
  it("tampered, truncated, random and oversized cookies are anonymous", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const good = b.token as string;
    const values = [
      good.slice(0, -1),
      `${good.slice(0, -1)}${good.endsWith("A") ? "B" : "A"}`,
      `${good}A`,
      generateToken(),
      "",
      "%",
      "%E0%A4%A",
      "x".repeat(8192),
      "\u0000",
      "a;b=c",
      "'; DROP TABLE sessions; --",
      "../../etc/passwd",
    ];
    for (const value of values) {
      const session = await manager.load({ cookieHeader: `__Host-sid=${value}` });
      expect(session.userId).toBeNull();
      await manager.commit(session);
    }
    for (let i = 0; i < 200; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(1 + (i % 60)));
      const header = `__Host-sid=${Array.from(bytes, (x) => String.fromCharCode(33 + (x % 94))).join("")}`;
      const session = await manager.load({ cookieHeader: header });
      expect(session.userId).toBeNull();
    }
  });
});

describe("errors are typed and leak nothing (L16)", () => {
  it("data errors carry stable codes", async () => {
    const { manager } = setup({ maxDataBytes: 1024 });
    const s = await manager.load({ cookieHeader: undefined });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => s.set("c", cyclic)).toThrow(expect.objectContaining({ code: "ERR_DATA" }));
    expect(() => s.set("n", 10n)).toThrow(expect.objectContaining({ code: "ERR_DATA" }));
    expect(() => s.set("__sg_x", 1)).toThrow(expect.objectContaining({ code: "ERR_RESERVED_KEY" }));
    s.set("big", "secret-value-".repeat(200));
    const error = await manager.commit(s).catch((e: unknown) => e);
    expect(isSessionError(error, "ERR_DATA")).toBe(true);
    expect((error as Error).message).not.toContain("secret-value");
  });

  it("a failing store surfaces as ERR_STORE_UNAVAILABLE without the token in the message", async () => {
    const { manager, store } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const { SessionError } = await import("../src/index.js");
    store.get = async () => {
      throw new SessionError("ERR_STORE_UNAVAILABLE", "the session store is unavailable");
    };
    const error = await manager.load({ cookieHeader: `__Host-sid=${b.token}` }).catch((e: unknown) => e);
    expect(isSessionError(error, "ERR_STORE_UNAVAILABLE")).toBe(true);
    expect((error as Error).message).not.toContain(b.token as string);
  });
});

describe("in-place changes to session values (express-session habit)", () => {
  it("a mutated array or object read from the session is saved", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.set("cart", ["apple"]));
    await b.request((s) => {
      s.get<string[]>("cart")?.push("pear");
    });
    expect(await b.request((s) => s.get("cart"))).toEqual(["apple", "pear"]);
    const profile = { name: "a" };
    await b.request((s) => {
      s.set("profile", profile);
      profile.name = "b";
    });
    expect(await b.request((s) => s.get("profile"))).toEqual({ name: "b" });
  });

  it("a read without a change writes nothing", async () => {
    const { manager, store } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.set("cart", ["apple"]));
    let updates = 0;
    const original = store.update.bind(store);
    store.update = async (r, v) => {
      updates++;
      return original(r, v);
    };
    await b.request((s) => s.get<string[]>("cart")?.length);
    expect(updates).toBe(0);
  });
});

describe("rotation races (a request in flight while the session changes)", () => {
  it("a session revoked while a rotating request runs is not resurrected", async () => {
    const { manager, clock } = setup({ rotation: { interval: "10m" } });
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    clock.advance(11 * MIN);
    const session = await manager.load({ cookieHeader: `__Host-sid=${b.token}` });
    await manager.revokeUser("alice");
    const out = await manager.commit(session);
    expect(out.setCookie[0]).toMatch(/Max-Age=0/);
    expect(await manager.listSessions("alice")).toHaveLength(0);
  });

  it("parallel requests at the rotation boundary keep one session and every write", async () => {
    const { manager, clock } = setup({ rotation: { interval: "10m" } });
    const b = new Browser(manager);
    await b.request((s) => s.login("bob"));
    clock.advance(11 * MIN);
    const tabs = Array.from({ length: 10 }, () => b.withToken(b.token));
    await Promise.all(tabs.map((tab, i) => tab.request((s) => s.set(`k${i}`, i))));
    expect(await manager.listSessions("bob")).toHaveLength(1);
    const rotated = tabs.filter((t) => t.token !== b.token);
    expect(rotated).toHaveLength(1);
    const data = await (rotated[0] as Browser).request((s) => s.toJSON());
    for (let i = 0; i < 10; i++) expect(data[`k${i}`]).toBe(i);
  });

  it("timeouts set in the rotating request apply to the new token", async () => {
    const { manager, clock } = setup({ rotation: { interval: "10m" } });
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    clock.advance(11 * MIN);
    await b.request((s) => s.setTimeouts({ idle: "1m" }));
    clock.advance(2 * MIN);
    expect(await b.request((s) => s.userId)).toBeNull();
  });

  it("regenerate() after a concurrent revocation does not bring the session back", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const session = await manager.load({ cookieHeader: `__Host-sid=${b.token}` });
    await manager.revokeUser("alice");
    const error = await session.regenerate().catch((e: unknown) => e);
    expect(isSessionError(error, "ERR_SESSION_STATE")).toBe(true);
    await manager.commit(session);
    expect(await manager.listSessions("alice")).toHaveLength(0);
  });
});
