/**
 * The lab's hardened profile on the networked stores (SPEC §4.1 `--store`):
 * real Redis and PostgreSQL servers, killed and restarted under the running
 * lab. While the store is down, requests that need a session answer 503 and
 * the lab keeps serving; it recovers by itself when the store comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireBinaries } from "../../sessionguard/test/servers/common.js";
import { INITDB, PG_CTL, type PostgresServer, startPostgres } from "../../sessionguard/test/servers/postgres.js";
import { REDIS_CLI, REDIS_SERVER, type RedisServer, startRedis } from "../../sessionguard/test/servers/redis.js";
import { startLab } from "../src/index.js";
import { Browser, type Reply, sleep } from "./helpers/client.js";

const redisAvailable = requireBinaries(
  "the lab on --store redis://",
  { "redis-server": REDIS_SERVER, "redis-cli": REDIS_CLI },
  "apt-get install redis-server",
);
const postgresAvailable = requireBinaries(
  "the lab on --store postgres://",
  { initdb: INITDB, pg_ctl: PG_CTL },
  "apt-get install postgresql-15, or set PG_BIN to its bin directory",
);

/** Asks until the lab answers something other than 503; returns every reply seen (the test's own limit ends a hang). */
async function untilServed(ask: () => Promise<Reply>): Promise<Reply[]> {
  const seen: Reply[] = [];
  for (;;) {
    const reply = await ask();
    seen.push(reply);
    if (reply.status !== 503) return seen;
    await sleep(100);
  }
}

async function scenario(options: {
  store: string;
  kill: () => Promise<void>;
  restart: () => Promise<void>;
  persists: boolean;
}): Promise<void> {
  const lab = await startLab({ port: 0, store: options.store });
  try {
    expect(lab.description).toContain(options.store.split("://")[0]);
    const alice = new Browser(lab.url);
    expect((await alice.login(lab.sessionCookie)).reply.status).toBe(303);
    expect((await alice.get("/account")).body).toContain("Signed in as alice");

    await options.kill();
    const down = await alice.get("/account");
    expect(down.status).toBe(503);
    expect(down.body).not.toContain("Signed in");
    expect((await alice.get("/health")).status).toBe(200);

    await options.restart();
    const after = await untilServed(() => alice.get("/account"));
    for (const reply of after.slice(0, -1)) expect(reply.body).not.toContain("Signed in");
    if (options.persists) {
      expect(after.at(-1)?.body).toContain("Signed in as alice");
    } else {
      expect(after.at(-1)?.status).toBe(401);
      expect((await alice.login(lab.sessionCookie)).reply.status).toBe(303);
      expect((await alice.get("/account")).body).toContain("Signed in as alice");
    }
  } finally {
    await lab.close();
  }
}

describe.skipIf(!redisAvailable)("the hardened lab on --store redis://HOST:PORT/DB", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("answers 503 while Redis is down and recovers by itself (sessions are lost: no persistence)", async () => {
    await scenario({
      store: `redis://127.0.0.1:${redis.port}/2`,
      kill: () => redis.kill("SIGKILL"),
      restart: () => redis.restart(),
      persists: false,
    });
  });
});

describe.skipIf(!postgresAvailable)("the hardened lab on --store postgres://USER@HOST:PORT/DB", () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it("answers 503 while PostgreSQL is down and keeps the session across the crash", async () => {
    await scenario({
      store: `postgres://postgres@127.0.0.1:${postgres.port}/postgres`,
      kill: () => postgres.kill("SIGQUIT"),
      restart: () => postgres.restart(),
      persists: true,
    });
  });
});
