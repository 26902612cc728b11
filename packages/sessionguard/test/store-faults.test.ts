/**
 * Store faults under a real HTTP app: the real server is killed, paused and
 * restarted mid-run. Requests during an outage must fail closed (503, never
 * an authenticated 200), and the app must recover without a restart.
 */
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timeScale } from "../../../test-setup/time-scale.js";
import type { SessionRecord, SessionStore } from "../src/core/store.js";
import { postgresStore } from "../src/stores/postgres.js";
import { redisClientOptions, redisStore } from "../src/stores/redis.js";
import { redisCommand, requireBinaries, sleep, waitFor } from "./servers/common.js";
import { INITDB, PG_CTL, type PostgresServer, startPostgres } from "./servers/postgres.js";
import { REDIS_CLI, REDIS_SERVER, type RedisServer, startRedis, startSentinel } from "./servers/redis.js";
import { type RedisCluster, startRedisCluster } from "./servers/redis-cluster.js";
import { type Answer, type SessionApp, startSessionApp, Visitor } from "./servers/session-app.js";

const redisAvailable = requireBinaries(
  "Redis store faults",
  { "redis-server": REDIS_SERVER, "redis-cli": REDIS_CLI },
  "apt-get install redis-server",
);
const postgresAvailable = requireBinaries(
  "PostgreSQL store faults",
  { initdb: INITDB, pg_ctl: PG_CTL },
  "apt-get install postgresql-15, or set PG_BIN to its bin directory",
);

/** Repeats `request` until `done` says so, at most `attempts` times (stretched by the load); returns every answer seen. */
async function until(
  request: () => Promise<Answer>,
  done: (answer: Answer) => boolean,
  attempts = 150,
): Promise<Answer[]> {
  const seen: Answer[] = [];
  for (let i = 0; i < attempts * timeScale(); i++) {
    const answer = await request();
    seen.push(answer);
    if (done(answer)) return seen;
    await sleep(100);
  }
  throw new Error(`gave up after ${seen.length} attempts; last answer ${seen.at(-1)?.status}`);
}

/** Nothing during an outage may look authenticated. */
function expectFailClosed(answers: readonly Answer[]): void {
  for (const answer of answers) {
    expect(answer.status === 200 && answer.body.startsWith("user:"), JSON.stringify(answer)).toBe(false);
  }
}

async function outageChecks(app: SessionApp, visitor: Visitor): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 3; i++) answers.push(await visitor.send("GET", "/me"));
  answers.push(await visitor.send("POST", "/note?text=during-outage"));
  const stranger = new Visitor(app.url, app.manager.cookieName);
  answers.push(await stranger.send("POST", "/login?user=mallory"));
  for (const answer of answers) expect(answer.status, answer.body).toBe(503);
  expectFailClosed(answers);
  // The app itself stays up: a request that needs no session is still served.
  expect((await stranger.send("GET", "/health")).status).toBe(200);
  return answers;
}

describe.skipIf(!redisAvailable)("redis single server: crash, hang and restart under a live app", () => {
  let server: RedisServer;
  let store: SessionStore;
  let app: SessionApp;

  beforeAll(async () => {
    server = await startRedis();
    store = redisStore({ url: server.url, timeout: 500 });
    app = await startSessionApp(store);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close?.();
    await server?.stop();
  });

  it("answers 503 while Redis is down and serves again after it restarts (sessions are lost: no persistence)", async () => {
    const alice = new Visitor(app.url, app.manager.cookieName);
    expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
    expect(await alice.send("GET", "/me")).toMatchObject({ status: 200, body: "user:alice" });

    await server.kill("SIGKILL");
    const during = await outageChecks(app, alice);
    console.info(`redis down: 503 after ${Math.max(...during.map((a) => a.ms)).toFixed(0)} ms at most`);

    await server.restart();
    const after = await until(
      () => alice.send("GET", "/me"),
      (a) => a.status !== 503,
    );
    expectFailClosed(after);
    // Redis ran without persistence: the old token is unknown now, and is cleared.
    expect(after.at(-1)).toMatchObject({ status: 401, body: "anonymous" });
    expect(alice.cookie).toBeUndefined();
    expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
    expect(await alice.send("GET", "/me")).toMatchObject({ status: 200, body: "user:alice" });
  });

  it("answers 503 within the command timeout while Redis hangs, and keeps the session when it resumes", async () => {
    const bob = new Visitor(app.url, app.manager.cookieName);
    expect((await bob.send("POST", "/login?user=bob")).status).toBe(200);
    server.pause();
    try {
      const during = await outageChecks(app, bob);
      console.info(`redis hung: 503 after ${Math.max(...during.map((a) => a.ms)).toFixed(0)} ms at most`);
    } finally {
      server.resume();
    }
    const after = await until(
      () => bob.send("GET", "/me"),
      (a) => a.status !== 503,
    );
    expectFailClosed(after.slice(0, -1));
    expect(after.at(-1)).toMatchObject({ status: 200, body: "user:bob" });
    expect((await bob.send("POST", "/note?text=kept")).status).toBe(200);
    expect(await bob.send("GET", "/note")).toMatchObject({ status: 200, body: "kept" });
  });
});

describe.skipIf(!postgresAvailable)("postgres: crash, hang and restart under a live app", () => {
  let server: PostgresServer;
  let store: SessionStore;
  let app: SessionApp;

  beforeAll(async () => {
    server = await startPostgres();
    store = postgresStore({ connectionString: server.url, timeout: 1000, sweepInterval: 0 });
    app = await startSessionApp(store);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close?.();
    await server?.stop();
  });

  it("answers 503 while PostgreSQL is down and keeps the session across a crash and restart", async () => {
    const alice = new Visitor(app.url, app.manager.cookieName);
    expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
    expect((await alice.send("POST", "/note?text=before-crash")).status).toBe(200);

    await server.kill("SIGQUIT");
    const during = await outageChecks(app, alice);
    console.info(`postgres down: 503 after ${Math.max(...during.map((a) => a.ms)).toFixed(0)} ms at most`);

    await server.restart();
    const after = await until(
      () => alice.send("GET", "/me"),
      (a) => a.status !== 503,
    );
    expectFailClosed(after.slice(0, -1));
    expect(after.at(-1)).toMatchObject({ status: 200, body: "user:alice" });
    expect(await alice.send("GET", "/note")).toMatchObject({ status: 200, body: "before-crash" });
  });

  it("answers 503 within the query timeout while PostgreSQL hangs, and recovers when it resumes", async () => {
    const bob = new Visitor(app.url, app.manager.cookieName);
    expect((await bob.send("POST", "/login?user=bob")).status).toBe(200);
    server.pause();
    try {
      const during = await outageChecks(app, bob);
      console.info(`postgres hung: 503 after ${Math.max(...during.map((a) => a.ms)).toFixed(0)} ms at most`);
    } finally {
      server.resume();
    }
    const after = await until(
      () => bob.send("GET", "/me"),
      (a) => a.status !== 503,
    );
    expectFailClosed(after.slice(0, -1));
    expect(after.at(-1)).toMatchObject({ status: 200, body: "user:bob" });
  });
});

describe.skipIf(!redisAvailable)("redis cluster (3 masters, 3 replicas): failover and a moved slot", () => {
  let cluster: RedisCluster;
  let client: Cluster;
  let store: SessionStore;
  let app: SessionApp;
  const prefix = "faults:";
  const T = Date.now();

  const session = (id: string, userId: string | null): SessionRecord => ({
    id,
    userId,
    createdAt: T,
    authenticatedAt: userId === null ? null : T,
    lastSeenAt: T,
    idleTimeout: 3_600_000,
    absoluteTimeout: 7_200_000,
    expiresAt: T + 3_600_000,
    version: 1,
    data: `data-of-${id}`,
    meta: {},
  });

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicas: 1 });
    client = new Cluster(cluster.startupNodes, { redisOptions: redisClientOptions(500) });
    store = redisStore({ client, prefix });
    app = await startSessionApp(store);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    client?.disconnect();
    await cluster?.stop();
  });

  it("keeps every acknowledged session through a manual failover of each master", async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `failover-${i}`);
    for (const [i, id] of ids.entries()) await store.create(session(id, `user-${i % 6}`));
    const carol = new Visitor(app.url, app.manager.cookieName);
    expect((await carol.send("POST", "/login?user=carol")).status).toBe(200);

    const masters = [...new Set(ids.map((id) => cluster.masterOf(cluster.slotOf(`${prefix}s:${id}`))))];
    expect(masters.length).toBe(3);
    for (const port of masters) await cluster.failover(port);
    // Every slot is now served by a former replica.
    for (const id of ids) expect(masters).not.toContain(cluster.masterOf(cluster.slotOf(`${prefix}s:${id}`)));

    for (const [i, id] of ids.entries()) {
      expect((await store.get(id))?.data, id).toBe(`data-of-${id}`);
      expect((await store.listByUser(`user-${i % 6}`)).map((r) => r.id)).toContain(id);
    }
    expect(await carol.send("GET", "/me")).toMatchObject({ status: 200, body: "user:carol" });
    expect(await store.deleteByUser("user-0")).toBe(10);
    expect(await store.create(session("after-failover", "user-1"), { max: 5, policy: "evict-oldest" })).toMatchObject({
      outcome: "created",
    });
    expect(await store.listByUser("user-1")).toHaveLength(5);
  });

  it("follows MOVED when a session's slot and a user's index slot move to another master", async () => {
    await store.create(session("moving", "dave"));
    await store.create(session("staying", "dave"));
    const recordSlot = cluster.slotOf(`${prefix}s:moving`);
    const indexSlot = cluster.slotOf(`${prefix}{u:dave}:e`);
    const masterPorts = cluster.nodes
      .map((n) => n.port)
      .filter((port) => cluster.cli(port, "ROLE").startsWith("master"));
    for (const slot of [recordSlot, indexSlot]) {
      const from = cluster.masterOf(slot);
      const to = masterPorts.find((port) => port !== from) as number;
      cluster.moveSlot(slot, to);
      expect(cluster.masterOf(slot)).toBe(to);
    }
    // The client still has the old slot map: its first command gets MOVED and follows it.
    expect((await store.get("moving"))?.data).toBe("data-of-moving");
    expect((await store.listByUser("dave")).map((r) => r.id).sort()).toStrictEqual(["moving", "staying"]);
    expect(await store.update({ ...session("moving", "dave"), version: 2, data: "updated" }, 1)).toBe(true);
    expect((await store.get("moving"))?.data).toBe("updated");
    expect(await store.deleteByUser("dave")).toBe(2);
    expect(await store.get("moving")).toBeNull();
  });

  it("fails closed while a master is down and keeps replicated sessions after the automatic failover", async () => {
    const erin = new Visitor(app.url, app.manager.cookieName);
    expect((await erin.send("POST", "/login?user=erin")).status).toBe(200);
    await store.create(session("replicated", "erin"));
    const masterPort = cluster.masterOf(cluster.slotOf(`${prefix}s:replicated`));
    // WAIT: the write is on the replica before the crash (Redis replication is asynchronous; a busy machine may need more than one WAIT).
    await waitFor(
      "the replica to acknowledge the write",
      () => Number(cluster.cli(masterPort, "WAIT", "1", "2000")) === 1,
      {
        attempts: 30,
        intervalMs: 0,
      },
    );
    const victim = cluster.nodes.find((n) => n.port === masterPort) as RedisServer;
    await victim.kill("SIGKILL");

    const answers = await until(
      async () => {
        try {
          const record = await store.get("replicated");
          return { status: record === null ? 404 : 200, body: record?.data ?? "", ms: 0 };
        } catch {
          return { status: 503, body: "unavailable", ms: 0 };
        }
      },
      (a) => a.status === 200,
      200,
    );
    expect(answers.at(-1)?.body).toBe("data-of-replicated");
    // Until the replica took over, reads of that slot failed rather than returned nothing.
    expect(answers.slice(0, -1).every((a) => a.status === 503)).toBe(true);
    const after = await until(
      () => erin.send("GET", "/me"),
      (a) => a.status !== 503,
    );
    expectFailClosed(after.slice(0, -1));
    expect(after.at(-1)).toMatchObject({ status: 200, body: "user:erin" });
    await victim.restart();
  });
});

describe.skipIf(!redisAvailable)("redis through Sentinel: failover to the replica", () => {
  let master: RedisServer;
  let replica: RedisServer;
  let sentinel: { port: number; stop(): Promise<void> };
  let client: Redis;

  beforeAll(async () => {
    master = await startRedis();
    replica = await startRedis({ args: ["--replicaof", "127.0.0.1", String(master.port)] });
    await waitFor("the replica to sync", async () =>
      (await redisCommand(replica.port, "INFO replication")).includes("master_link_status:up"),
    );
    sentinel = await startSentinel(master.port, "sessions");
    client = new Redis({
      ...redisClientOptions(500),
      sentinels: [{ host: "127.0.0.1", port: sentinel.port }],
      name: "sessions",
      failoverDetector: true,
    });
  });

  afterAll(async () => {
    client?.disconnect();
    await sentinel?.stop();
    await replica?.stop();
    await master?.stop();
  });

  it("keeps acknowledged sessions and accepts writes on the promoted replica", async () => {
    const store = redisStore({ client, prefix: "sentinel:" });
    const app = await startSessionApp(store);
    try {
      const alice = new Visitor(app.url, app.manager.cookieName);
      expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
      expect((await alice.send("POST", "/note?text=before-failover")).status).toBe(200);
      expect(await redisCommand(master.port, "WAIT 1 2000")).toBe(":1");
      // Sentinel may not have discovered the replica yet: retry until it accepts the failover.
      await waitFor(
        "Sentinel to start the failover",
        async () => (await redisCommand(sentinel.port, "SENTINEL FAILOVER sessions")) === "+OK",
        { attempts: 100, intervalMs: 200 },
      );
      await waitFor(
        "the replica to become master",
        async () => (await redisCommand(replica.port, "INFO replication")).includes("role:master"),
        { attempts: 200, intervalMs: 100 },
      );
      expect(await alice.send("GET", "/note")).toMatchObject({ status: 200, body: "before-failover" });
      const after = await until(
        () => alice.send("POST", "/note?text=after-failover"),
        (a) => a.status !== 503,
      );
      expectFailClosed(after);
      expect(after.at(-1)).toMatchObject({ status: 200, body: "noted" });
      expect(await alice.send("GET", "/note")).toMatchObject({ status: 200, body: "after-failover" });
      expect(await redisCommand(replica.port, "DBSIZE")).not.toBe(":0");
    } finally {
      await app.close();
    }
  });
});

describe.skipIf(!redisAvailable || !postgresAvailable)(
  "an Express app on redis and postgres: 503 while the store is down, recovery without a restart",
  () => {
    let redis: RedisServer;
    let postgres: PostgresServer;

    beforeAll(async () => {
      [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    });

    afterAll(async () => {
      await redis?.stop();
      await postgres?.stop();
    });

    const scenario = async (
      store: SessionStore,
      restart: () => Promise<void>,
      kill: () => Promise<void>,
      persists: boolean,
    ) => {
      const app = await startSessionApp(store, { adapter: "express" });
      try {
        const alice = new Visitor(app.url, app.manager.cookieName);
        expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
        expect(await alice.send("GET", "/me")).toMatchObject({ status: 200, body: "user:alice" });

        await kill();
        const down = await alice.send("GET", "/me");
        expect(down.status).toBe(503);
        expect(down.body).not.toContain("user:");
        // A request without a session cookie needs no store and is still served.
        expect((await new Visitor(app.url, app.manager.cookieName).send("GET", "/health")).status).toBe(200);

        await restart();
        const after = await until(
          () => alice.send("GET", "/me"),
          (a) => a.status !== 503,
        );
        for (const answer of after.slice(0, -1)) expect(answer.body).not.toContain("user:");
        if (persists) {
          expect(after.at(-1)).toMatchObject({ status: 200, body: "user:alice" });
        } else {
          expect(after.at(-1)?.status).toBe(401);
          expect((await alice.send("POST", "/login?user=alice")).status).toBe(200);
          expect(await alice.send("GET", "/me")).toMatchObject({ status: 200, body: "user:alice" });
        }
      } finally {
        await app.close();
        await store.close?.();
      }
    };

    it("on redis: answers 503 while Redis is down and recovers by itself", async () => {
      await scenario(
        redisStore({ url: `redis://127.0.0.1:${redis.port}/2`, timeout: 500 }),
        () => redis.restart(),
        () => redis.kill("SIGKILL"),
        false,
      );
    });

    it("on postgres: answers 503 while PostgreSQL is down and keeps sessions", async () => {
      await scenario(
        postgresStore({ connectionString: postgres.url, timeout: 1000, sweepInterval: 0 }),
        () => postgres.restart(),
        () => postgres.kill("SIGQUIT"),
        true,
      );
    });
  },
);
