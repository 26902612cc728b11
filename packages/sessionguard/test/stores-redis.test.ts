import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSessionError } from "../src/core/errors.js";
import { generateToken, hashToken } from "../src/core/token.js";
import { EXPIRED_RETENTION, generateKey, SessionManager } from "../src/index.js";
import { redisClientOptions, redisStore } from "../src/stores/redis.js";
import { describeStoreConformance } from "../src/testing.js";
import { Browser } from "./helpers/harness.js";
import { expectEveryOperationUnavailable, MINUTE, record, T0 } from "./helpers/store-records.js";
import { freePort, requireBinaries } from "./servers/common.js";
import { countingRedis, countingStore } from "./servers/counting.js";
import { REDIS_CLI, REDIS_SERVER, type RedisServer, startRedis, startSentinel } from "./servers/redis.js";
import { callsBetween, commandCalls, deletePrefix, keysWithPrefix } from "./servers/redis-admin.js";
import { type RedisCluster, startRedisCluster } from "./servers/redis-cluster.js";

const available = requireBinaries(
  "Redis store",
  { "redis-server": REDIS_SERVER, "redis-cli": REDIS_CLI },
  "apt-get install redis-server",
);

let prefixes = 0;
const nextPrefix = (): string => `sgt${++prefixes}:`;

describe.skipIf(!available)("redis store on a single server", () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedis();
    client = new Redis(server.url, redisClientOptions());
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  describeStoreConformance("redis (single server)", async (clock) => {
    const prefix = nextPrefix();
    return { store: redisStore({ client, prefix, clock }), cleanup: () => deletePrefix(client, prefix) };
  });

  it("stores a session as one hash found by id, and the user's index under one hash tag", async () => {
    const prefix = nextPrefix();
    const store = redisStore({ client, prefix, clock: () => T0 });
    await store.create(record("id-1"));
    const keys = (await keysWithPrefix(client, prefix)).sort();
    expect(keys).toStrictEqual([`${prefix}s:id-1`, `${prefix}{u:alice}:c`, `${prefix}{u:alice}:e`]);
    expect(await client.type(`${prefix}s:id-1`)).toBe("hash");
    expect(await client.zscore(`${prefix}{u:alice}:e`, "id-1")).toBe(String(T0 + 30 * MINUTE));
    await deletePrefix(client, prefix);
  });

  it("aligns key TTLs with expiresAt plus EXPIRED_RETENTION and the clock tolerance, and moves them on update", async () => {
    const prefix = nextPrefix();
    // A clock far from the server's: TTLs are relative, so they still match.
    const store = redisStore({ client, prefix, clock: () => T0, clockTolerance: 1000 });
    await store.create(record("ttl", { expiresAt: T0 + 10 * MINUTE }));
    const ttl = await client.pttl(`${prefix}s:ttl`);
    expect(ttl).toBeGreaterThan(10 * MINUTE + EXPIRED_RETENTION + 1000 - 5000);
    expect(ttl).toBeLessThanOrEqual(10 * MINUTE + EXPIRED_RETENTION + 1001);
    const indexTtl = await client.pttl(`${prefix}{u:alice}:e`);
    expect(indexTtl).toBeGreaterThanOrEqual(ttl - 5000);
    await store.update(record("ttl", { version: 2, expiresAt: T0 + 25 * MINUTE }), 1);
    expect(await client.pttl(`${prefix}s:ttl`)).toBeGreaterThan(25 * MINUTE + EXPIRED_RETENTION - 5000);
    expect(await client.pttl(`${prefix}{u:alice}:e`)).toBeGreaterThan(25 * MINUTE + EXPIRED_RETENTION - 5000);
    await deletePrefix(client, prefix);
  });

  it("costs exactly one Redis round trip for a request whose session needs no write", async () => {
    const prefix = nextPrefix();
    const own = new Redis(server.url, redisClientOptions());
    const sent = countingRedis(own);
    const counted = countingStore(redisStore({ client: own, prefix }));
    const manager = new SessionManager({
      store: counted.store,
      keys: [generateKey()],
      insecureDevelopmentCookie: true,
      maxSessionsPerUser: 3,
    });
    const browser = new Browser(manager);
    // Connected first: a command queued while connecting passes sendCommand twice.
    await own.ping();
    sent.calls.clear();
    await browser.request((session) => session.login("alice"));
    // A login is two scripts: write the record, then index it under the per-user limit
    // (plus an EVAL each the first time this server sees a script).
    expect(sent.calls.get("evalsha")).toBe(2);
    sent.calls.clear();
    counted.calls.clear();
    const before = await commandCalls(client);
    const user = await browser.request((session) => session.userId);
    const delta = callsBetween(before, await commandCalls(client));
    expect(user).toBe("alice");
    expect(Object.fromEntries(counted.calls)).toStrictEqual({ get: 1 });
    expect(Object.fromEntries(sent.calls)).toStrictEqual({ hget: 1 });
    expect(delta).toStrictEqual({ hget: 1 });
    await manager.close();
    own.disconnect();
    await deletePrefix(client, prefix);
  });

  it("a value that is not a record, or a record copied under another key, is rejected and deleted, never a 503", async () => {
    const prefix = nextPrefix();
    const manager = new SessionManager({
      store: redisStore({ client, prefix }),
      keys: [generateKey()],
      insecureDevelopmentCookie: true,
    });
    const events: string[] = [];
    manager.on("rejected", (event) => events.push(event.reason ?? ""));
    const victim = new Browser(manager);
    await victim.request((session) => session.login("alice"));
    const victimKey = `${prefix}s:${await hashToken(victim.token as string)}`;
    for (const value of ["{not json", "null", '"a string"', '{"id":1}']) {
      const b = new Browser(manager);
      await b.request((session) => session.login("bob"));
      const key = `${prefix}s:${await hashToken(b.token as string)}`;
      await client.hset(key, "r", value);
      expect(await b.request((session) => session.userId)).toBeNull();
      expect(await client.exists(key)).toBe(0);
    }
    // The victim's whole value copied under a key whose token the writer chose.
    const chosen = generateToken();
    const chosenKey = `${prefix}s:${await hashToken(chosen)}`;
    await client.hset(chosenKey, "r", (await client.hget(victimKey, "r")) as string);
    expect(await victim.withToken(chosen).request((session) => session.userId)).toBeNull();
    expect(await client.exists(chosenKey)).toBe(0);
    expect(await victim.request((session) => session.userId)).toBe("alice");
    expect(events).toStrictEqual(Array(5).fill("undecryptable"));
    await manager.close();
    await deletePrefix(client, prefix);
  });

  it("does not let an index entry without a record (a writer that died mid-create) lock a user out", async () => {
    const prefix = nextPrefix();
    const store = redisStore({ client, prefix, clock: () => T0 });
    await client.zadd(`${prefix}{u:alice}:e`, T0 + MINUTE, "ghost");
    await client.zadd(`${prefix}{u:alice}:c`, T0, "ghost");
    const result = await store.create(record("real"), { max: 1, policy: "reject" });
    expect(result).toStrictEqual({ outcome: "created", evicted: [] });
    expect(await client.zrange(`${prefix}{u:alice}:e`, 0, -1)).toStrictEqual(["real"]);
    expect(await store.create(record("second"), { max: 1, policy: "reject" })).toStrictEqual({
      outcome: "rejected",
      evicted: [],
    });
    await deletePrefix(client, prefix);
  });

  it("finishes an eviction that a failed create left pending, and revoke-all still finds it meanwhile", async () => {
    const prefix = nextPrefix();
    const store = redisStore({ client, prefix, clock: () => T0 });
    await store.create(record("old", { createdAt: T0 - 1000 }));
    // What a create that died after its index step leaves behind: the id is
    // out of the live index, still pending, and its record exists.
    await client.zrem(`${prefix}{u:alice}:e`, "old");
    await client.zrem(`${prefix}{u:alice}:c`, "old");
    await client.zadd(`${prefix}{u:alice}:x`, T0, "old");
    expect((await store.listByUser("alice")).map((r) => r.id)).toStrictEqual(["old"]);
    await store.create(record("new"));
    expect(await store.get("old")).toBeNull();
    expect((await store.listByUser("alice")).map((r) => r.id)).toStrictEqual(["new"]);

    await store.create(record("left", { createdAt: T0 - 500 }));
    await client.zrem(`${prefix}{u:alice}:e`, "left");
    await client.zadd(`${prefix}{u:alice}:x`, T0, "left");
    expect(await store.deleteByUser("alice")).toBe(2);
    expect(await store.get("left")).toBeNull();
    expect(await keysWithPrefix(client, prefix)).toStrictEqual([]);
    await deletePrefix(client, prefix);
  });

  it("sweeps with SCAN and never runs KEYS", async () => {
    const prefix = nextPrefix();
    let now = T0;
    const store = redisStore({ client, prefix, clock: () => now });
    for (let i = 0; i < 1200; i++) {
      await store.create(record(`s${i}`, { userId: i % 2 === 0 ? null : `u${i % 7}`, expiresAt: T0 + 1000 }));
    }
    await store.create(record("live", { expiresAt: T0 + 2 * EXPIRED_RETENTION }));
    now += 1000;
    // Expired records stay readable for EXPIRED_RETENTION; the sweep removes them after that.
    expect(await store.sweep(now)).toBe(0);
    now += EXPIRED_RETENTION;
    expect(await store.sweep(now)).toBe(1200);
    expect(await store.get("live")).not.toBeNull();
    expect((await keysWithPrefix(client, prefix)).sort()).toStrictEqual([
      `${prefix}s:live`,
      `${prefix}{u:alice}:c`,
      `${prefix}{u:alice}:e`,
    ]);
    const stats = await commandCalls(client);
    expect(stats.get("keys")).toBeUndefined();
    expect(stats.get("scan")).toBeGreaterThan(0);
    await deletePrefix(client, prefix);
  });

  it("creates and closes its own client from a URL, leaving an injected client open", async () => {
    const prefix = nextPrefix();
    const owned = redisStore({ url: `${server.url}/3`, prefix, clock: () => T0 });
    await owned.create(record("on-db-3"));
    expect(await owned.get("on-db-3")).not.toBeNull();
    expect(await client.exists(`${prefix}s:on-db-3`)).toBe(0);
    await owned.deleteByUser("alice");
    await owned.close();
    await owned.close();
    const injected = redisStore({ client, prefix, clock: () => T0 });
    await injected.close();
    expect(await client.ping()).toBe("PONG");
  });

  it("wraps failures in ERR_STORE_UNAVAILABLE without ids in the message, quickly", async () => {
    const port = await freePort();
    const store = redisStore({ url: `redis://127.0.0.1:${port}`, timeout: 200, clock: () => T0 });
    await expectEveryOperationUnavailable(store, "Redis");
    await store.close();
  });

  it("refuses invalid options with ERR_CONFIG and never echoes a URL (it may hold a password)", () => {
    const bad: unknown[] = [
      {},
      { client, url: server.url },
      { url: "http://secret-password@127.0.0.1:6379" },
      { url: "not a url" },
      { client, prefix: "sg:{tag}:" },
      { client, prefix: "has space" },
      { client, prefix: "x".repeat(65) },
      { client, clockTolerance: -1 },
      { client, timeout: 0 },
      { client, sweepInterval: 1.5 },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        redisStore(options as Parameters<typeof redisStore>[0]);
      } catch (caught) {
        error = caught;
      }
      expect(isSessionError(error, "ERR_CONFIG"), JSON.stringify(options, ["url", "prefix"])).toBe(true);
      expect((error as Error).message).not.toContain("secret-password");
    }
  });
});

describe.skipIf(!available)("redis store on a 3-master Redis Cluster", () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
    client = new Cluster(cluster.startupNodes, { redisOptions: redisClientOptions() });
  }, 120_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  describeStoreConformance("redis (cluster, 3 masters)", async (clock) => {
    const prefix = nextPrefix();
    return { store: redisStore({ client, prefix, clock }), cleanup: () => deletePrefix(client, prefix) };
  });

  it("keeps every key of one user in one slot, and spreads sessions over the masters", async () => {
    const prefix = nextPrefix();
    const store = redisStore({ client, prefix, clock: () => T0 });
    for (let i = 0; i < 30; i++) await store.create(record(`session-${i}`), { max: 50, policy: "reject" });
    const index = [`${prefix}{u:alice}:e`, `${prefix}{u:alice}:c`, `${prefix}{u:alice}:x`];
    const slots = new Set(index.map((key) => cluster.slotOf(key)));
    expect(slots.size).toBe(1);
    const owners = new Set(
      Array.from({ length: 30 }, (_, i) => cluster.masterOf(cluster.slotOf(`${prefix}s:session-${i}`))),
    );
    expect(owners.size).toBe(3);
    expect(await store.listByUser("alice")).toHaveLength(30);
    expect(await store.deleteByUser("alice", "session-0")).toBe(29);
    await deletePrefix(client, prefix);
  });

  it("costs exactly one command for a request whose session needs no write", async () => {
    const prefix = nextPrefix();
    const store = redisStore({ client, prefix });
    const manager = new SessionManager({ store, keys: [generateKey()], insecureDevelopmentCookie: true });
    const browser = new Browser(manager);
    await browser.request((session) => session.login("alice"));
    const before = await commandCalls(client);
    expect(await browser.request((session) => session.userId)).toBe("alice");
    expect(callsBetween(before, await commandCalls(client))).toStrictEqual({ hget: 1 });
    await deletePrefix(client, prefix);
  });
});

describe.skipIf(!available)("redis store through Sentinel", () => {
  let server: RedisServer;
  let sentinel: { port: number; stop(): Promise<void> };
  let client: Redis;

  beforeAll(async () => {
    server = await startRedis();
    sentinel = await startSentinel(server.port, "sessions");
    client = new Redis({
      ...redisClientOptions(),
      sentinels: [{ host: "127.0.0.1", port: sentinel.port }],
      name: "sessions",
    });
  });

  afterAll(async () => {
    client?.disconnect();
    await sentinel?.stop();
    await server?.stop();
  });

  describeStoreConformance("redis (via Sentinel)", async (clock) => {
    const prefix = nextPrefix();
    return { store: redisStore({ client, prefix, clock }), cleanup: () => deletePrefix(client, prefix) };
  });
});
