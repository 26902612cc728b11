import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isSessionError } from "../src/core/errors.js";
import { EXPIRED_RETENTION } from "../src/core/store.js";
import { memoryStore } from "../src/stores/memory.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { describeStoreConformance } from "../src/testing.js";
import { record, T0 } from "./helpers/store-records.js";

const tempDir = (): string => mkdtempSync(join(tmpdir(), "sessionguard-sqlite-"));

describeStoreConformance("memory", async (clock) => ({ store: memoryStore({ clock, sweepInterval: 0 }) }));

describeStoreConformance("sqlite (:memory:)", async (clock) => ({
  store: sqliteStore({ path: ":memory:", clock, sweepInterval: 0 }),
}));

describeStoreConformance("sqlite (WAL file)", async (clock) => {
  const dir = tempDir();
  return {
    store: sqliteStore({ path: join(dir, "sessions.db"), clock, sweepInterval: 0 }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("memoryStore", () => {
  it("stays within maxSessions by evicting the soonest-expiring record", async () => {
    const store = memoryStore({ maxSessions: 5, sweepInterval: 0, clock: () => T0 });
    // Expiry order differs from insertion order, so FIFO eviction would fail.
    const expiries = [8, 3, 7, 1, 6, 2, 5, 4];
    for (const [i, minutes] of expiries.entries()) {
      await store.create(record(`s${i}`, { userId: `u${i}`, expiresAt: T0 + minutes * 60_000 }));
    }
    expect(store.size).toBe(5);
    // Inserting s5 (2 min) evicted s3 (1 min); s6 (5 min) evicted s5 (2 min); s7 (4 min) evicted s1 (3 min).
    for (const id of ["s1", "s3", "s5"]) expect(await store.get(id)).toBeNull();
    for (const id of ["s0", "s2", "s4", "s6", "s7"]) expect(await store.get(id)).not.toBeNull();
    expect(await store.listByUser("u3")).toStrictEqual([]);
    await store.close();
  });

  it("drops expired records before evicting live ones when full", async () => {
    let now = T0;
    const store = memoryStore({ maxSessions: 2, sweepInterval: 0, clock: () => now });
    await store.create(record("expiring", { expiresAt: T0 + 1000 }));
    await store.create(record("live", { expiresAt: T0 + 60_000 }));
    now += 1000;
    await store.create(record("new", { expiresAt: T0 + 30_000 }));
    expect(store.size).toBe(2);
    expect(await store.get("live")).not.toBeNull();
    expect(await store.get("new")).not.toBeNull();
    await store.close();
  });

  it("sweeps expired records in the background and stops when closed", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      let now = T0;
      const store = memoryStore({ sweepInterval: 60_000, clock: () => now });
      await store.create(record("short", { expiresAt: T0 + 1000 }));
      await store.create(record("long", { expiresAt: T0 + 3 * EXPIRED_RETENTION }));
      now += 60_000;
      await vi.advanceTimersByTimeAsync(60_000);
      // Expired records stay answerable for EXPIRED_RETENTION, then the sweep removes them.
      expect(store.size).toBe(2);
      now = T0 + 1000 + EXPIRED_RETENTION;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(store.size).toBe(1);
      expect(vi.getTimerCount()).toBe(1);
      await store.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses invalid options with ERR_CONFIG", () => {
    for (const options of [{ maxSessions: 0 }, { maxSessions: 1.5 }, { sweepInterval: -1 }]) {
      expect(() => memoryStore(options)).toThrow(expect.objectContaining({ code: "ERR_CONFIG" }));
    }
  });

  it("refuses an update that does not bump the version by one", async () => {
    const store = memoryStore({ sweepInterval: 0, clock: () => T0 });
    await store.create(record("a"));
    const error = await rejection(store.update(record("a", { version: 1 }), 1));
    expect(isSessionError(error, "ERR_CONFIG")).toBe(true);
    await store.close();
  });
});

describe("sqliteStore", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("puts a file database in WAL mode and keeps sessions across reopening", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const path = join(dir, "sessions.db");
    const first = sqliteStore({ path, sweepInterval: 0, clock: () => T0 });
    const stored = record("persisted-id", { data: "sealed", meta: { ip: "192.0.2.1" }, successor: "next-id" });
    await first.create(stored);
    const probe = new Database(path, { readonly: true });
    try {
      expect(probe.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      probe.close();
    }
    await first.close();

    const second = sqliteStore({ path, sweepInterval: 0, clock: () => T0 });
    expect(await second.get(stored.id)).toStrictEqual(stored);
    expect(await second.listByUser("alice")).toStrictEqual([stored]);
    await second.close();
  });

  it("uses an injected database without closing it, under a custom table name", async () => {
    const db = new Database(":memory:");
    db.defaultSafeIntegers(true);
    const store = sqliteStore({ database: db, table: "app_sessions", sweepInterval: 0, clock: () => T0 });
    await store.create(record("a"));
    expect(await store.get("a")).toStrictEqual(record("a"));
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare("SELECT count(*) AS n FROM app_sessions").safeIntegers(false).get()).toStrictEqual({ n: 1 });
    db.close();
  });

  it("sweeps more rows than one batch", async () => {
    const store = sqliteStore({ path: ":memory:", sweepInterval: 0, clock: () => T0 });
    for (let i = 0; i < 2500; i++) await store.create(record(`s${i}`, { userId: null, expiresAt: T0 + 1 }));
    await store.create(record("live", { expiresAt: T0 + 2 * EXPIRED_RETENTION }));
    expect(await store.sweep(T0 + 1 + EXPIRED_RETENTION)).toBe(2500);
    expect(await store.get("live")).not.toBeNull();
    await store.close();
  });

  it("wraps driver failures in ERR_STORE_UNAVAILABLE without ids in the message", async () => {
    const db = new Database(":memory:");
    const store = sqliteStore({ database: db, sweepInterval: 0, clock: () => T0 });
    const id = "secret-session-id-0123456789";
    await store.create(record(id));
    db.close();
    const operations: Promise<unknown>[] = [
      store.get(id),
      store.create(record(`${id}-2`)),
      store.create(record(`${id}-3`), { max: 1, policy: "evict-oldest" }),
      store.update(record(id, { version: 2 }), 1),
      store.delete(id),
      store.listByUser("alice"),
      store.deleteByUser("alice", id),
      store.sweep(T0),
    ];
    for (const operation of operations) {
      const error = await rejection(operation);
      expect(isSessionError(error, "ERR_STORE_UNAVAILABLE")).toBe(true);
      expect((error as Error).message).toMatch(/^the SQLite session store failed: /);
      expect((error as Error).message).not.toContain(id);
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
    await store.close();
  });

  it("reports a database it cannot open as ERR_STORE_UNAVAILABLE", () => {
    const path = join(tmpdir(), `sessionguard-no-such-dir-${process.pid}-${Date.now()}`, "sessions.db");
    expect(() => sqliteStore({ path })).toThrow(expect.objectContaining({ code: "ERR_STORE_UNAVAILABLE" }));
  });

  it("validates the table name", async () => {
    for (const table of ["", "1sessions", "sessions; DROP TABLE users", 'a"b', "x".repeat(64), "sessions-v2"]) {
      expect(() => sqliteStore({ path: ":memory:", table })).toThrow(
        expect.objectContaining({ code: "ERR_CONFIG", message: expect.stringContaining("table") }),
      );
    }
    const longest = sqliteStore({ path: ":memory:", table: `_${"x".repeat(62)}`, sweepInterval: 0 });
    await longest.close();
  });

  it("requires exactly one of path or database", () => {
    const db = new Database(":memory:");
    const bad = [{}, { path: "" }, { path: ":memory:", database: db }] as unknown as Parameters<
      typeof sqliteStore
    >[0][];
    for (const options of bad) {
      expect(() => sqliteStore(options)).toThrow(expect.objectContaining({ code: "ERR_CONFIG" }));
    }
    db.close();
  });
});
