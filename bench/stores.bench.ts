import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RedisStore } from "connect-redis";
import express from "express";
import session from "express-session";
import { Redis } from "ioredis";
import pg from "pg";
import { createClient } from "redis";
import { bench, describe } from "vitest";
import { expressSessions } from "../packages/sessionguard/src/adapters/express.js";
import { nodeSessions } from "../packages/sessionguard/src/adapters/node.js";
import type { SessionStore } from "../packages/sessionguard/src/core/store.js";
import { generateKey, SessionManager } from "../packages/sessionguard/src/index.js";
import { memoryStore } from "../packages/sessionguard/src/stores/memory.js";
import { postgresPoolOptions, postgresStore } from "../packages/sessionguard/src/stores/postgres.js";
import { redisClientOptions, redisStore } from "../packages/sessionguard/src/stores/redis.js";
import { sqliteStore } from "../packages/sessionguard/src/stores/sqlite.js";
import { countingPool, countingRedis, countingStore } from "../packages/sessionguard/test/servers/counting.js";
import { startPostgres } from "../packages/sessionguard/test/servers/postgres.js";
import { startRedis } from "../packages/sessionguard/test/servers/redis.js";
import { callsBetween, commandCalls } from "../packages/sessionguard/test/servers/redis-admin.js";
import { CONNECTIONS, type Load, listen, load } from "./lib/http-load.js";

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = 1;
const RESULTS = fileURLToPath(new URL("./results/stores.json", import.meta.url));
const ORIGIN_HEADERS = ["sec-fetch-site:same-origin"];

interface CaseResult extends Load {
  readonly store: string;
  readonly scenario: "validate" | "create";
  /** Calls into the SessionStore per request (sessionguard only). */
  readonly storeCallsPerRequest: number | null;
  /** Network round trips to Redis/PostgreSQL per request (commands or queries). */
  readonly backendRoundTripsPerRequest: number | null;
  /** Which commands (Redis) made those round trips, per request. */
  readonly backendCommandsPerRequest?: Record<string, number>;
}

function benchManager(store: SessionStore): SessionManager {
  return new SessionManager({
    store,
    keys: [generateKey()],
    // A login checks the per-user limit atomically: the realistic create path.
    maxSessionsPerUser: 5,
  });
}

/** The same two routes on sessionguard: `GET /me` (validate) and `POST /login` (create). */
function sessionguardApp(store: SessionStore): (req: IncomingMessage, res: ServerResponse) => void {
  const manager = benchManager(store);
  let users = 0;
  return nodeSessions(manager).wrap(async (req, res, s) => {
    if (req.method === "POST" && req.url === "/login") {
      await s.login(`user-${++users}`);
      res.end("ok");
    } else if (s.userId !== null) {
      res.end(`user:${s.userId}`);
    } else {
      res.statusCode = 401;
      res.end("anonymous");
    }
  });
}

/** The same two routes on Express 5 with sessionguard's Express adapter, to compare like with like. */
function sessionguardExpressApp(store: SessionStore): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.use(expressSessions(benchManager(store)));
  let users = 0;
  app.post("/login", async (req, res, next) => {
    try {
      await req.session.login(`user-${++users}`);
      res.end("ok");
    } catch (error) {
      next(error);
    }
  });
  app.get("/me", (req, res) => {
    if (req.session.userId === null) res.status(401).end("anonymous");
    else res.end(`user:${req.session.userId}`);
  });
  return app as unknown as (req: IncomingMessage, res: ServerResponse) => void;
}

/** The same two routes on express-session + connect-redis. */
type NodeRedisClient = ConstructorParameters<typeof RedisStore>[0]["client"];

function expressSessionApp(client: NodeRedisClient): (req: IncomingMessage, res: ServerResponse) => void {
  const app = express();
  app.use(
    session({
      store: new RedisStore({ client, prefix: "bench-cr:" }),
      secret: generateKey(),
      name: "sid",
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 30 * 60_000, httpOnly: true, sameSite: "lax", secure: false },
    }),
  );
  let users = 0;
  app.post("/login", (req, res, next) => {
    req.session.regenerate((error) => {
      if (error) return next(error);
      (req.session as unknown as { userId: string }).userId = `user-${++users}`;
      res.end("ok");
    });
  });
  app.get("/me", (req, res) => {
    const userId = (req.session as unknown as { userId?: string }).userId;
    if (userId === undefined) res.status(401).end("anonymous");
    else res.end(`user:${userId}`);
  });
  return app as unknown as (req: IncomingMessage, res: ServerResponse) => void;
}

/** Logs in once over HTTP and returns the session cookie (`name=value`). */
async function loginCookie(url: string, name: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: "POST", headers: { "sec-fetch-site": "same-origin" } });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (response.status !== 200 || cookie === undefined) throw new Error(`login failed: ${response.status}`);
  return cookie.split(";")[0] as string;
}

interface Target {
  readonly name: string;
  readonly cookieName: string;
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
  readonly storeCalls?: () => number;
  readonly backend?: () => Promise<{ total: number; commands?: Map<string, number> }>;
  readonly close: () => Promise<void>;
}

interface RunningTarget {
  readonly target: Target;
  readonly url: string;
  readonly cookie: string;
  close(): Promise<void>;
}

async function startTarget(target: Target): Promise<RunningTarget> {
  const app = await listen(target.handler);
  try {
    return { target, url: app.url, cookie: await loginCookie(app.url, target.cookieName), close: app.close };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Both scenarios once against a running target (after a short warm-up each). */
async function measure({ target, url, cookie }: RunningTarget, seconds = DURATION): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const scenarios = [
    { scenario: "validate", method: "GET", path: "/me", headers: [`cookie:${cookie}`] },
    { scenario: "create", method: "POST", path: "/login", headers: ORIGIN_HEADERS },
  ] as const;
  for (const s of scenarios) {
    await load(`${url}${s.path}`, s.method, s.headers, WARMUP);
    const calls0 = target.storeCalls?.() ?? 0;
    const backend0 = await target.backend?.();
    const result = await load(`${url}${s.path}`, s.method, s.headers, seconds);
    const backend1 = await target.backend?.();
    const perRequest = (n: number): number => Math.round((n / Math.max(result.requests, 1)) * 100) / 100;
    const commands =
      backend0?.commands !== undefined && backend1?.commands !== undefined
        ? Object.fromEntries(
            Object.entries(callsBetween(backend0.commands, backend1.commands)).map(([k, v]) => [k, perRequest(v)]),
          )
        : undefined;
    results.push({
      store: target.name,
      scenario: s.scenario,
      ...result,
      storeCallsPerRequest: target.storeCalls === undefined ? null : perRequest(target.storeCalls() - calls0),
      backendRoundTripsPerRequest:
        backend0 === undefined || backend1 === undefined ? null : perRequest(backend1.total - backend0.total),
      ...(commands === undefined ? {} : { backendCommandsPerRequest: commands }),
    });
  }
  return results;
}

async function versionOf(what: () => Promise<string>): Promise<string> {
  try {
    return await what();
  } catch {
    return "unknown";
  }
}

async function runAll(): Promise<void> {
  // Other work on the machine skews every figure; the JSON says how busy it was.
  const loadBefore = loadavg().map((n) => Math.round(n * 100) / 100);
  const redis = await startRedis();
  const postgres = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), "sessionguard-bench-"));
  const admin = new Redis(redis.url);
  admin.on("error", () => {});
  const pool = new pg.Pool({ ...postgresPoolOptions(5000), connectionString: postgres.url, max: 10 });
  pool.on("error", () => {});
  const nodeRedis = createClient({ url: redis.url });
  nodeRedis.on("error", () => {});
  await nodeRedis.connect();
  try {
    // INFO commandstats counts every command a Lua script runs; for connect-redis
    // (no scripts) that is exactly its round trips. The measurement's own INFO is left out.
    const redisCommands = async () => {
      const commands = await commandCalls(admin);
      return { total: [...commands.values()].reduce((a, b) => a + b, 0), commands };
    };
    const counted = <S extends SessionStore>(store: S) => countingStore(store);
    const memory = counted(memoryStore({ maxSessions: 1_000_000 }));
    const sqlite = counted(sqliteStore({ path: join(dir, "sessions.db") }));
    const redisClient = new Redis(redis.url, redisClientOptions());
    redisClient.on("error", () => {});
    // sessionguard's round trips are counted at its client: one EVALSHA is one round trip.
    const sent = countingRedis(redisClient);
    const onRedis = counted(redisStore({ client: redisClient, prefix: "bench-sg:" }));
    const expressRedisClient = new Redis(redis.url, redisClientOptions());
    expressRedisClient.on("error", () => {});
    const expressSent = countingRedis(expressRedisClient);
    const onRedisExpress = counted(redisStore({ client: expressRedisClient, prefix: "bench-sgx:" }));
    const queries = countingPool(pool);
    const onPostgres = counted(postgresStore({ pool: queries.pool, sweepInterval: 0 }));
    const targets: Target[] = [
      {
        name: "sessionguard + memory",
        cookieName: "__Host-sid",
        handler: sessionguardApp(memory.store),
        storeCalls: memory.total,
        close: () => memory.store.close(),
      },
      {
        name: "sessionguard + sqlite (WAL file)",
        cookieName: "__Host-sid",
        handler: sessionguardApp(sqlite.store),
        storeCalls: sqlite.total,
        close: () => sqlite.store.close(),
      },
      {
        name: "sessionguard + redis",
        cookieName: "__Host-sid",
        handler: sessionguardApp(onRedis.store),
        storeCalls: onRedis.total,
        backend: async () => ({ total: sent.total(), commands: new Map(sent.calls) }),
        close: async () => {
          await onRedis.store.close();
          if (redisClient.status !== "end") redisClient.disconnect();
        },
      },
      {
        name: "sessionguard + postgres",
        cookieName: "__Host-sid",
        handler: sessionguardApp(onPostgres.store),
        storeCalls: onPostgres.total,
        backend: async () => ({ total: queries.queries() }),
        close: () => onPostgres.store.close(),
      },
      {
        name: "sessionguard (Express 5 adapter) + redis",
        cookieName: "__Host-sid",
        handler: sessionguardExpressApp(onRedisExpress.store),
        storeCalls: onRedisExpress.total,
        backend: async () => ({ total: expressSent.total(), commands: new Map(expressSent.calls) }),
        close: async () => {
          await onRedisExpress.store.close();
          if (expressRedisClient.status !== "end") expressRedisClient.disconnect();
        },
      },
      {
        name: "express-session + connect-redis (peer, Express 5)",
        cookieName: "sid",
        handler: expressSessionApp(nodeRedis as unknown as NodeRedisClient),
        backend: redisCommands,
        close: async () => {},
      },
    ];
    const best = new Map<string, CaseResult>();
    const running: RunningTarget[] = [];
    try {
      for (const target of targets) running.push(await startTarget(target));
      // The first case would otherwise also pay for V8 warming up the app's code.
      await measure(running[0] as RunningTarget, 2);
      // Rounds go through every case in turn, so a burst of other load on the
      // machine hits one run of a case, not all of them; the best run counts.
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of running) {
          for (const result of await measure(target)) {
            const key = `${result.store}|${result.scenario}`;
            const previous = best.get(key);
            if (previous === undefined || result.requestsPerSecond > previous.requestsPerSecond) best.set(key, result);
          }
        }
      }
    } finally {
      for (const app of running) await app.close();
      // Targets a failure skipped still hold clients that would keep reconnecting.
      for (const target of targets) await target.close().catch(() => {});
    }
    const results = [...best.values()];

    const cpu = cpus();
    const report = {
      generatedAt: new Date().toISOString(),
      command: "npx vitest bench --run bench/stores.bench.ts",
      machine: {
        platform: `${platform()} ${release()}`,
        cpuModel: cpu[0]?.model ?? "unknown",
        cpuCount: cpu.length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        loadAverage1m: { before: loadBefore[0], after: Math.round((loadavg()[0] ?? 0) * 100) / 100 },
        node: process.version,
        redis: await versionOf(async () => /redis_version:(\S+)/.exec(await admin.info("server"))?.[1] ?? "unknown"),
        postgres: await versionOf(
          async () =>
            (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "unknown",
        ),
      },
      settings: {
        transport:
          "HTTP/1.1 over loopback; the app (node:http or Express 5) in the bench process, autocannon in a child process",
        durationSecondsPerCase: DURATION,
        warmupSecondsPerCase: WARMUP,
        rounds: ROUNDS,
        reported: "the run with the most requests per second of each case, rounds interleaved",
        connections: CONNECTIONS,
        validate:
          "GET /me with the cookie of one signed-in session: one session lookup, no write (activity writes are throttled)",
        create:
          "POST /login without a cookie: a new signed-in session per request (sessionguard: maxSessionsPerUser 5, checked atomically)",
        servers:
          "redis-server and PostgreSQL started by the bench on loopback, no persistence tuning beyond defaults (PostgreSQL fsync=off)",
      },
      results,
    };
    writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      [
        "",
        "| store | scenario | req/s | p50 ms | p99 ms | store calls/req | backend round trips/req | non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        ...results.map(
          (r) =>
            `| ${r.store} | ${r.scenario} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.storeCallsPerRequest ?? "-"} | ${r.backendRoundTripsPerRequest ?? "-"} | ${r.non2xx + r.errors} |`,
        ),
        "",
        `written to ${RESULTS}`,
      ].join("\n"),
    );
  } finally {
    await nodeRedis.quit().catch(() => {});
    admin.disconnect();
    await pool.end().catch(() => {});
    await redis.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("session stores (HTTP, autocannon)", () => {
  bench("all cases: see the printed table and bench/results/stores.json", runAll, {
    iterations: 1,
    time: 0,
    warmupIterations: 0,
    warmupTime: 0,
  });
});
