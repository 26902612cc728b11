import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../core/clock.js";
import { isSessionError, type SessionErrorCode } from "../core/errors.js";
import type { SessionEvent } from "../core/events.js";
import { generateKey } from "../core/generate-key.js";
import { SessionManager } from "../core/manager.js";
import { EXPIRED_RETENTION, type SessionRecord, type SessionStore } from "../core/store.js";
import { generateToken, hashToken } from "../core/token.js";

/**
 * Builds a fresh, empty store for one conformance test.
 *
 * @param clock - the suite's fake clock (ms since the epoch); the store must
 *   use it for every "is this record live?" decision.
 * @returns the store, and an optional `cleanup` the suite awaits after
 *   `store.close()` (drop a table, flush a key prefix, remove a folder).
 */
export type StoreFactory = (clock: Clock) => Promise<{ store: SessionStore; cleanup?: () => Promise<void> }>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Registers the vitest suite that every {@link SessionStore} must pass.
 *
 * Each test gets a new store from `factory`, drives a fake clock that starts
 * at 1 700 000 000 000 ms and only moves when a test advances it, and
 * checks the contract through the public interface alone. Ids and user ids
 * are random per test, so a factory may reuse one backend (database, Redis
 * prefix) as long as `cleanup` eventually removes what the test wrote.
 *
 * @param name - label of the store in the test report, e.g. `"sqlite (file)"`
 * @param factory - builds the store under test; see {@link StoreFactory}
 */
export function describeStoreConformance(name: string, factory: StoreFactory): void {
  describe(`SessionStore conformance: ${name}`, () => {
    let now = 1_700_000_000_000;
    const clock: Clock = () => now;
    let store: SessionStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      now = 1_700_000_000_000;
      const made = await factory(clock);
      store = made.store;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await store.close?.();
      await cleanup?.();
    });

    const record = (overrides: Partial<SessionRecord> = {}): SessionRecord => ({
      id: randomId(),
      userId: null,
      createdAt: now,
      authenticatedAt: null,
      lastSeenAt: now,
      idleTimeout: 30 * MINUTE,
      absoluteTimeout: 12 * HOUR,
      expiresAt: now + 30 * MINUTE,
      version: 1,
      data: "",
      meta: {},
      ...overrides,
    });

    const ids = (records: readonly SessionRecord[]): string[] => records.map((r) => r.id).sort();

    describe("create and get", () => {
      it("round-trips every field of an authenticated record, including meta and successor", async () => {
        const user = randomUser();
        const original = record({
          userId: user,
          createdAt: now - 5 * MINUTE,
          authenticatedAt: now - 4 * MINUTE,
          lastSeenAt: now - MINUTE,
          idleTimeout: 15 * MINUTE,
          absoluteTimeout: 8 * HOUR,
          expiresAt: now + 14 * MINUTE,
          data: "v1.k1.sealed-envelope",
          meta: { ip: "2001:db8::1", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" },
          successor: randomId(),
        });
        expect(await store.create(original)).toStrictEqual({ outcome: "created", evicted: [] });
        expect(await store.get(original.id)).toStrictEqual(original);
      });

      it("round-trips an anonymous record, keeping absent optional fields absent", async () => {
        const original = record();
        await store.create(original);
        const stored = await store.get(original.id);
        expect(stored).toStrictEqual(original);
        expect(stored !== null && "successor" in stored).toBe(false);
        expect(stored?.meta).toStrictEqual({});
      });

      it("round-trips meta with only some fields set", async () => {
        const original = record({ meta: { ip: "203.0.113.7" } });
        await store.create(original);
        expect(await store.get(original.id)).toStrictEqual(original);
      });

      it("returns null for an id it never stored", async () => {
        expect(await store.get(randomId())).toBeNull();
      });

      it("refuses a duplicate id with ERR_STORE_CONFLICT, without a token in the message, and keeps the first record", async () => {
        const first = record({ data: "first" });
        await store.create(first);
        const error = await rejection(store.create({ ...first, data: "second" }));
        expectSessionError(error, "ERR_STORE_CONFLICT");
        expect((error as Error).message).not.toContain(first.id);
        expect(await store.get(first.id)).toStrictEqual(first);
      });

      it("keeps its own copy: changing the objects passed in or returned does not change the store", async () => {
        const original = record({ userId: randomUser(), meta: { ip: "198.51.100.1" } });
        const passed = structuredClone(original) as Mutable<SessionRecord>;
        await store.create(passed);
        passed.data = "changed";
        (passed.meta as Mutable<SessionRecord["meta"]>).ip = "192.0.2.66";
        const returned = (await store.get(original.id)) as Mutable<SessionRecord>;
        try {
          returned.data = "changed";
          (returned.meta as Mutable<SessionRecord["meta"]>).ip = "192.0.2.66";
        } catch {
          // A store may hand out frozen records; either way the store is unchanged.
        }
        expect(await store.get(original.id)).toStrictEqual(original);
      });
    });

    describe("update", () => {
      it("replaces the record when the version matches, and the version chain continues", async () => {
        const v1 = record({ userId: randomUser(), meta: { ip: "192.0.2.1" } });
        await store.create(v1);
        const v2: SessionRecord = {
          ...v1,
          version: 2,
          lastSeenAt: now + MINUTE,
          expiresAt: now + 31 * MINUTE,
          data: "v2",
          meta: { ip: "192.0.2.2", userAgent: "curl/8.5.0" },
        };
        expect(await store.update(v2, 1)).toBe(true);
        expect(await store.get(v1.id)).toStrictEqual(v2);
        const v3: SessionRecord = { ...v2, version: 3, data: "v3" };
        expect(await store.update(v3, 2)).toBe(true);
        expect(await store.get(v1.id)).toStrictEqual(v3);
      });

      it("sets and clears successor like any other field", async () => {
        const v1 = record({ data: "payload" });
        await store.create(v1);
        const alias: SessionRecord = { ...v1, version: 2, data: "", successor: randomId(), expiresAt: now + 10_000 };
        expect(await store.update(alias, 1)).toBe(true);
        expect(await store.get(v1.id)).toStrictEqual(alias);
        const { successor: _dropped, ...plain } = alias;
        const v3: SessionRecord = { ...plain, version: 3 };
        expect(await store.update(v3, 2)).toBe(true);
        const stored = await store.get(v1.id);
        expect(stored).toStrictEqual(v3);
        expect(stored !== null && "successor" in stored).toBe(false);
      });

      it("returns false on a stale version and leaves the record untouched", async () => {
        const v1 = record();
        await store.create(v1);
        await store.update({ ...v1, version: 2, data: "winner" }, 1);
        expect(await store.update({ ...v1, version: 2, data: "loser" }, 1)).toBe(false);
        expect(await store.get(v1.id)).toStrictEqual({ ...v1, version: 2, data: "winner" });
      });

      it("returns false for a deleted or never-created record and does not resurrect it", async () => {
        const v1 = record();
        await store.create(v1);
        await store.delete(v1.id);
        expect(await store.update({ ...v1, version: 2 }, 1)).toBe(false);
        expect(await store.get(v1.id)).toBeNull();
        const ghost = record();
        expect(await store.update({ ...ghost, version: 2 }, 1)).toBe(false);
        expect(await store.get(ghost.id)).toBeNull();
      });

      it("lets exactly one of 20 parallel writers from the same version win", async () => {
        const v1 = record({ userId: randomUser() });
        await store.create(v1);
        const attempts = Array.from({ length: 20 }, (_, i) => ({ ...v1, version: 2, data: `writer-${i}` }));
        const results = await Promise.all(attempts.map((attempt) => store.update(attempt, 1)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = attempts[results.indexOf(true)];
        expect(await store.get(v1.id)).toStrictEqual(winner);
      });

      it("moves a record between user indexes when userId changes", async () => {
        const user = randomUser();
        const anonymous = record();
        await store.create(anonymous);
        const signedIn: SessionRecord = { ...anonymous, version: 2, userId: user, authenticatedAt: now };
        expect(await store.update(signedIn, 1)).toBe(true);
        expect(ids(await store.listByUser(user))).toStrictEqual([anonymous.id]);
        const signedOut: SessionRecord = { ...signedIn, version: 3, userId: null, authenticatedAt: null };
        expect(await store.update(signedOut, 2)).toBe(true);
        expect(await store.listByUser(user)).toStrictEqual([]);
        expect(await store.deleteByUser(user)).toBe(0);
        expect(await store.get(anonymous.id)).toStrictEqual(signedOut);
      });
    });

    describe("delete", () => {
      it("removes the record and is idempotent", async () => {
        const user = randomUser();
        const r = record({ userId: user });
        await store.create(r);
        await store.delete(r.id);
        expect(await store.get(r.id)).toBeNull();
        expect(await store.listByUser(user)).toStrictEqual([]);
        await expect(store.delete(r.id)).resolves.toBeUndefined();
        await expect(store.delete(randomId())).resolves.toBeUndefined();
      });

      it("frees the id for a new create", async () => {
        const r = record();
        await store.create(r);
        await store.delete(r.id);
        expect(await store.create({ ...r, data: "again" })).toStrictEqual({ outcome: "created", evicted: [] });
        expect((await store.get(r.id))?.data).toBe("again");
      });
    });

    describe("expiry", () => {
      it("treats a record as gone at its expiresAt, except that get answers for EXPIRED_RETENTION more", async () => {
        const user = randomUser();
        const short = record({ userId: user, expiresAt: now + 1000 });
        const long = record({ userId: user, expiresAt: now + 10_000 });
        await store.create(short);
        await store.create(long);
        now += 999;
        expect(await store.get(short.id)).not.toBeNull();
        now += 1;
        await store.sweep?.(now);
        // The manager needs the deadlines to report "expired" instead of "unknown token".
        expect(await store.get(short.id)).toStrictEqual(short);
        expect(await store.get(long.id)).toStrictEqual(long);
        expect(ids(await store.listByUser(user))).toStrictEqual([long.id]);
        now = short.expiresAt + EXPIRED_RETENTION - 1;
        await store.sweep?.(now);
        expect(await store.get(short.id)).toStrictEqual(short);
        now += 1;
        await store.sweep?.(now);
        expect(await store.get(short.id)).toBeNull();
        expect(await store.listByUser(user)).toStrictEqual([]);
        now = long.expiresAt + EXPIRED_RETENTION;
        await store.sweep?.(now);
        expect(await store.get(long.id)).toBeNull();
      });

      it("sweep removes exactly the records expired longer than EXPIRED_RETENTION and returns how many", async (context) => {
        if (store.sweep === undefined) context.skip();
        const user = randomUser();
        const expired = [
          record({ userId: user, expiresAt: now + 100 }),
          record({ expiresAt: now + 200 }),
          record({ userId: randomUser(), expiresAt: now + 300 }),
        ];
        const live = record({ userId: user, expiresAt: now + 3 * HOUR });
        for (const r of [...expired, live]) await store.create(r);
        now += 300;
        expect(await store.sweep?.(now)).toBe(0);
        now += EXPIRED_RETENTION;
        expect(await store.sweep?.(now)).toBe(3);
        expect(await store.sweep?.(now)).toBe(0);
        for (const r of expired) expect(await store.get(r.id)).toBeNull();
        expect(await store.get(live.id)).toStrictEqual(live);
        expect(ids(await store.listByUser(user))).toStrictEqual([live.id]);
      });

      it("does not let an expired record be updated back to life", async () => {
        const r = record({ expiresAt: now + 1000 });
        await store.create(r);
        now += 1000;
        await store.sweep?.(now);
        expect(await store.update({ ...r, version: 2, expiresAt: now + HOUR }, 1)).toBe(false);
        expect(await store.get(r.id)).toStrictEqual(r);
      });
    });

    describe("per-user index", () => {
      it("listByUser returns exactly the live sessions of that user", async () => {
        const alice = randomUser();
        const bob = randomUser();
        const aliceSessions = [record({ userId: alice }), record({ userId: alice })];
        const bobSession = record({ userId: bob });
        const anonymous = record();
        for (const r of [...aliceSessions, bobSession, anonymous]) await store.create(r);
        const listed = await store.listByUser(alice);
        expect(ids(listed)).toStrictEqual(ids(aliceSessions));
        for (const r of listed) expect(r).toStrictEqual(aliceSessions.find((a) => a.id === r.id));
        expect(ids(await store.listByUser(bob))).toStrictEqual([bobSession.id]);
        expect(await store.listByUser(randomUser())).toStrictEqual([]);
      });

      it("keeps anonymous records out of every user index", async () => {
        const anonymous = [record(), record()];
        for (const r of anonymous) await store.create(r);
        for (const probe of ["", "null", "undefined", "anonymous"]) {
          expect(await store.listByUser(probe)).toStrictEqual([]);
          expect(await store.deleteByUser(probe)).toBe(0);
        }
        for (const r of anonymous) expect(await store.get(r.id)).toStrictEqual(r);
      });

      it("deleteByUser removes all of a user's sessions, returns the count, and touches nobody else", async () => {
        const alice = randomUser();
        const bob = randomUser();
        const aliceSessions = [record({ userId: alice }), record({ userId: alice }), record({ userId: alice })];
        const others = [record({ userId: bob }), record()];
        for (const r of [...aliceSessions, ...others]) await store.create(r);
        expect(await store.deleteByUser(alice)).toBe(3);
        for (const r of aliceSessions) expect(await store.get(r.id)).toBeNull();
        expect(await store.listByUser(alice)).toStrictEqual([]);
        for (const r of others) expect(await store.get(r.id)).toStrictEqual(r);
        expect(await store.deleteByUser(alice)).toBe(0);
      });

      it("deleteByUser with exceptId keeps that one session", async () => {
        const alice = randomUser();
        const bob = randomUser();
        const keep = record({ userId: alice });
        const drop = [record({ userId: alice }), record({ userId: alice })];
        const bobSession = record({ userId: bob });
        for (const r of [keep, ...drop, bobSession]) await store.create(r);
        expect(await store.deleteByUser(alice, keep.id)).toBe(2);
        expect(ids(await store.listByUser(alice))).toStrictEqual([keep.id]);
        for (const r of drop) expect(await store.get(r.id)).toBeNull();
        expect(await store.get(bobSession.id)).toStrictEqual(bobSession);
        // An exceptId of another user's session protects nothing of this user.
        expect(await store.deleteByUser(alice, bobSession.id)).toBe(1);
        expect(await store.get(bobSession.id)).toStrictEqual(bobSession);
      });
    });

    describe("per-user limit", () => {
      it("evict-oldest removes the session with the oldest createdAt and reports it", async () => {
        const user = randomUser();
        const bystander = record({ userId: randomUser(), createdAt: now - HOUR });
        await store.create(bystander);
        const limit = { max: 2, policy: "evict-oldest" } as const;
        const oldest = record({ userId: user, createdAt: now - 3000 });
        const middle = record({ userId: user, createdAt: now - 2000 });
        const newest = record({ userId: user, createdAt: now - 1000 });
        // Created out of order: eviction follows createdAt, not insertion order.
        expect(await store.create(middle, limit)).toStrictEqual({ outcome: "created", evicted: [] });
        expect(await store.create(oldest, limit)).toStrictEqual({ outcome: "created", evicted: [] });
        expect(await store.create(newest, limit)).toStrictEqual({ outcome: "created", evicted: [oldest.id] });
        expect(ids(await store.listByUser(user))).toStrictEqual(ids([middle, newest]));
        expect(await store.get(oldest.id)).toBeNull();
        expect(await store.get(bystander.id)).toStrictEqual(bystander);
      });

      it("evict-oldest brings a user over a lowered limit back to max", async () => {
        const user = randomUser();
        const sessions = [0, 1, 2, 3].map((i) => record({ userId: user, createdAt: now - 10_000 + i }));
        for (const r of sessions) await store.create(r);
        const next = record({ userId: user });
        const result = await store.create(next, { max: 2, policy: "evict-oldest" });
        expect(result.outcome).toBe("created");
        expect([...result.evicted].sort()).toStrictEqual(ids(sessions.slice(0, 3)));
        expect(ids(await store.listByUser(user))).toStrictEqual(ids([sessions[3] as SessionRecord, next]));
      });

      it("reject refuses the new session and writes nothing", async () => {
        const user = randomUser();
        const limit = { max: 2, policy: "reject" } as const;
        const first = record({ userId: user });
        const second = record({ userId: user });
        const third = record({ userId: user });
        await store.create(first, limit);
        await store.create(second, limit);
        expect(await store.create(third, limit)).toStrictEqual({ outcome: "rejected", evicted: [] });
        expect(await store.get(third.id)).toBeNull();
        expect(ids(await store.listByUser(user))).toStrictEqual(ids([first, second]));
      });

      it("does not count expired sessions against the limit", async () => {
        const user = randomUser();
        const limit = { max: 2, policy: "reject" } as const;
        await store.create(record({ userId: user, expiresAt: now + 1000 }), limit);
        const live = record({ userId: user, expiresAt: now + HOUR });
        await store.create(live, limit);
        now += 1000;
        const next = record({ userId: user });
        expect(await store.create(next, limit)).toStrictEqual({ outcome: "created", evicted: [] });
        expect(ids(await store.listByUser(user))).toStrictEqual(ids([live, next]));
      });

      it("ignores the limit for anonymous sessions", async () => {
        const limit = { max: 1, policy: "reject" } as const;
        const anonymous = [record(), record(), record()];
        for (const r of anonymous) {
          expect(await store.create(r, limit)).toStrictEqual({ outcome: "created", evicted: [] });
        }
        for (const r of anonymous) expect(await store.get(r.id)).toStrictEqual(r);
      });

      it("holds under 50 parallel creates for one user (evict-oldest, max 3)", async () => {
        const user = randomUser();
        const attempts = Array.from({ length: 50 }, (_, i) => record({ userId: user, createdAt: now + i }));
        const results = await Promise.all(attempts.map((r) => store.create(r, { max: 3, policy: "evict-oldest" })));
        expect(results.every((r) => r.outcome === "created")).toBe(true);
        const remaining = await store.listByUser(user);
        expect(remaining).toHaveLength(3);
        const evicted = results.flatMap((r) => r.evicted);
        expect(new Set(evicted).size).toBe(47);
        expect([...evicted, ...remaining.map((r) => r.id)].sort()).toStrictEqual(ids(attempts));
      });

      it("holds under 20 parallel creates for one user (reject, max 3)", async () => {
        const user = randomUser();
        const attempts = Array.from({ length: 20 }, () => record({ userId: user }));
        const results = await Promise.all(attempts.map((r) => store.create(r, { max: 3, policy: "reject" })));
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(3);
        expect(await store.listByUser(user)).toHaveLength(3);
      });
    });

    describe("the manager over this store", () => {
      it("reports a token whose session timed out as expired (idle and absolute), never adopts it, then forgets it", async () => {
        const manager = new SessionManager({ store, keys: [generateKey()], clock, absoluteTimeout: "1h" });
        const events: SessionEvent[] = [];
        manager.on("*", (event) => events.push(event));
        const signIn = async (): Promise<{ cookie: string; sid: string | null; user: string }> => {
          const user = randomUser();
          const session = await manager.load({ cookieHeader: undefined });
          await session.login(user);
          const cookie = (await manager.commit(session)).setCookie[0]?.split(";")[0] ?? "";
          return { cookie, sid: session.id, user };
        };
        const idle = await signIn();
        now += 30 * MINUTE;
        const late = await manager.load({ cookieHeader: idle.cookie });
        expect(late.userId).toBeNull();
        expect(late.isNew).toBe(true);
        expect((await manager.commit(late)).setCookie[0]).toMatch(/Max-Age=0/);

        const active = await signIn();
        for (let i = 0; i < 2; i++) {
          now += 20 * MINUTE;
          const alive = await manager.load({ cookieHeader: active.cookie });
          expect(alive.userId).toBe(active.user);
          await manager.commit(alive);
        }
        now += 20 * MINUTE;
        expect((await manager.load({ cookieHeader: active.cookie })).userId).toBeNull();

        const expired = events.filter((e) => e.type === "expired");
        expect(expired).toMatchObject([
          { reason: "idle", sid: idle.sid, userId: idle.user },
          { reason: "absolute", sid: active.sid, userId: active.user },
        ]);
        expect(events.filter((e) => e.type === "rejected")).toStrictEqual([]);
        // Reported once: the record is gone afterwards, so a replay is an unknown token.
        await manager.load({ cookieHeader: idle.cookie });
        expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "unknown" });
      });

      it("reports a token as unknown once EXPIRED_RETENTION has passed", async () => {
        const manager = new SessionManager({ store, keys: [generateKey()], clock });
        const events: SessionEvent[] = [];
        manager.on("*", (event) => events.push(event));
        const session = await manager.load({ cookieHeader: undefined });
        await session.login(randomUser());
        const cookie = (await manager.commit(session)).setCookie[0]?.split(";")[0] ?? "";
        now += 30 * MINUTE + EXPIRED_RETENTION;
        await store.sweep?.(now);
        expect((await manager.load({ cookieHeader: cookie })).isNew).toBe(true);
        expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "unknown" });
        expect(events.some((e) => e.type === "expired")).toBe(false);
      });
    });

    describe("a store write without the key never authenticates (records are sealed whole)", () => {
      const client = { ip: "203.0.113.7", userAgent: "Conformance/1.0" };

      /** A signed-in session with data, the events the manager emits, and the store key of its token. */
      const signedIn = async (): Promise<{
        manager: SessionManager;
        events: SessionEvent[];
        cookie: string;
        id: string;
        user: string;
      }> => {
        const manager = new SessionManager({ store, keys: [generateKey()], clock });
        const events: SessionEvent[] = [];
        manager.on("*", (event) => events.push(event));
        const user = randomUser();
        const session = await manager.load({ cookieHeader: undefined, ...client });
        await session.login(user);
        session.set("role", "user");
        const cookie = (await manager.commit(session)).setCookie[0]?.split(";")[0] ?? "";
        const id = await hashToken(cookie.slice(cookie.indexOf("=") + 1));
        return { manager, events, cookie, id, user };
      };

      const stored = async (id: string): Promise<SessionRecord> => {
        const found = await store.get(id);
        if (found === null) throw new Error("the signed-in session is not stored");
        return found;
      };

      /** Rewrites a stored record in place, as someone with write access to the backend can. */
      const rewrite = async (id: string, change: (r: SessionRecord) => SessionRecord): Promise<void> => {
        const changed = change(await stored(id));
        await store.delete(id);
        await store.create(changed);
      };

      const expectTamperedAndGone = async (
        manager: SessionManager,
        events: SessionEvent[],
        cookie: string,
        id: string,
      ): Promise<void> => {
        const session = await manager.load({ cookieHeader: cookie, ...client });
        expect(session.userId).toBeNull();
        expect(session.isNew).toBe(true);
        expect(session.get("role")).toBeUndefined();
        expect((await manager.commit(session)).setCookie[0]).toMatch(/Max-Age=0/);
        expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "undecryptable", sid: null, userId: null });
        expect(await store.get(id)).toBeNull();
      };

      it("an untouched rewrite still authenticates (the control for the cases below)", async () => {
        const s = await signedIn();
        await rewrite(s.id, (r) => ({ ...r }));
        const session = await s.manager.load({ cookieHeader: s.cookie, ...client });
        expect([session.userId, session.get("role")]).toStrictEqual([s.user, "user"]);
      });

      const tamperings: ReadonlyArray<readonly [string, (r: SessionRecord) => SessionRecord]> = [
        ["userId", (r) => ({ ...r, userId: "admin" })],
        ["userId (to anonymous)", (r) => ({ ...r, userId: null })],
        ["createdAt", (r) => ({ ...r, createdAt: r.createdAt + HOUR })],
        ["authenticatedAt", (r) => ({ ...r, authenticatedAt: null })],
        ["lastSeenAt", (r) => ({ ...r, lastSeenAt: r.lastSeenAt + MINUTE })],
        ["idleTimeout", (r) => ({ ...r, idleTimeout: r.idleTimeout * 48 })],
        ["absoluteTimeout", (r) => ({ ...r, absoluteTimeout: r.absoluteTimeout * 30 })],
        ["expiresAt", (r) => ({ ...r, expiresAt: r.expiresAt + HOUR })],
        ["version", (r) => ({ ...r, version: r.version + 1 })],
        ["successor", (r) => ({ ...r, successor: randomId() })],
        ["meta.ip", (r) => ({ ...r, meta: { ...r.meta, ip: "198.51.100.1" } })],
        ["meta.userAgent", (r) => ({ ...r, meta: { ...r.meta, userAgent: "Attacker/1.0" } })],
        ["meta.issuedAt", (r) => ({ ...r, meta: { ...r.meta, issuedAt: (r.meta.issuedAt ?? now) + HOUR } })],
        ["data (emptied)", (r) => ({ ...r, data: "" })],
        ["data (one character of the ciphertext)", (r) => ({ ...r, data: flipMiddle(r.data) })],
      ];
      for (const [field, change] of tamperings) {
        it(`a changed ${field} yields an anonymous request, a rejected event and no record`, async () => {
          const s = await signedIn();
          await rewrite(s.id, change);
          await expectTamperedAndGone(s.manager, s.events, s.cookie, s.id);
        });
      }

      it("an envelope rolled back to an earlier version of the same record does not open", async () => {
        const s = await signedIn();
        const before = await stored(s.id);
        const session = await s.manager.load({ cookieHeader: s.cookie, ...client });
        session.set("role", "admin");
        await s.manager.commit(session);
        await rewrite(s.id, (r) => ({ ...r, data: before.data }));
        await expectTamperedAndGone(s.manager, s.events, s.cookie, s.id);
      });

      it("an envelope moved from another session does not open", async () => {
        const victim = await signedIn();
        const attacker = await signedIn();
        const victimRecord = await stored(victim.id);
        await rewrite(attacker.id, (r) => ({ ...r, data: victimRecord.data }));
        await expectTamperedAndGone(attacker.manager, attacker.events, attacker.cookie, attacker.id);
      });

      it("a row inserted for a token hash of the writer's choice does not authenticate", async () => {
        const victim = await signedIn();
        const victimRecord = await stored(victim.id);
        const token = generateToken();
        const cookie = `${victim.cookie.slice(0, victim.cookie.indexOf("="))}=${token}`;
        const chosen = await hashToken(token);
        // A copy of a live session under the chosen key, and a row made up from nothing.
        await store.create({ ...victimRecord, id: chosen });
        await expectTamperedAndGone(victim.manager, victim.events, cookie, chosen);
        await store.create(record({ id: chosen, userId: "admin" }));
        await expectTamperedAndGone(victim.manager, victim.events, cookie, chosen);
        // A forged rotation alias pointing at the victim's session: the alias is refused, the victim's session stays.
        await store.create(record({ id: chosen, successor: victim.id, expiresAt: now + MINUTE }));
        await expectTamperedAndGone(victim.manager, victim.events, cookie, chosen);
        const still = await victim.manager.load({ cookieHeader: victim.cookie, ...client });
        expect(still.userId).toBe(victim.user);
      });
    });

    describe("data is opaque", () => {
      it("stores unicode and markup byte-for-byte", async () => {
        const data = `héllo wörld — 日本語 🙂 👩‍👩‍👧 e\u0301 \t\r\n "'\\ %_ ; DROP TABLE sessions; -- {"a":[1]} <b>`;
        const r = record({ data });
        await store.create(r);
        const stored = await store.get(r.id);
        expect(stored?.data).toBe(data);
        expect(stored?.data.length).toBe(data.length);
      });

      it("stores a 64 KiB value unchanged", async () => {
        const data = randomText(64 * 1024);
        const r = record({ userId: randomUser(), data });
        await store.create(r);
        expect((await store.get(r.id))?.data).toBe(data);
        const bigger = randomText(64 * 1024);
        expect(await store.update({ ...r, version: 2, data: bigger }, 1)).toBe(true);
        expect((await store.get(r.id))?.data).toBe(bigger);
      });
    });
  });
}

/** `text` with its middle character replaced (every bit of a middle base64url character is significant). */
function flipMiddle(text: string): string {
  const at = Math.floor(text.length / 2);
  return `${text.slice(0, at)}${text[at] === "A" ? "B" : "A"}${text.slice(at + 1)}`;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function randomText(length: number): string {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  let text = "";
  for (const byte of bytes) text += ALPHABET[byte & 63];
  return text;
}

/** A random id with the shape of a real store key (SHA-256, base64url). */
function randomId(): string {
  return randomText(43);
}

function randomUser(): string {
  return `user-${randomText(12)}`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function expectSessionError(error: unknown, code: SessionErrorCode): void {
  expect(isSessionError(error, code), `expected SessionError ${code}, got ${String(error)}`).toBe(true);
}
