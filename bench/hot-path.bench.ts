/**
 * The library's hot path (issue 2, "Performance is part of the design"): an
 * authenticated read on Express 5, measured in one run against
 *
 *   - the same app with no sessions at all (the ceiling),
 *   - express-session with its MemoryStore (the peer, same store class),
 *   - sessionguard with its memory store, and with SQLite (the embedded default),
 *
 * each while sessionguard hashes the token and keeps data encrypted. Rounds are
 * interleaved so machine load affects every case alike; the best round counts.
 *
 * Run: `npx vitest bench --run bench/hot-path.bench.ts` → bench/results/hot-path.json.
 * Loopback only; every run is bounded (BENCH_DURATION seconds, default 3).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import session from "express-session";
import { bench, describe } from "vitest";
import { expressSessions } from "../packages/sessionguard/src/adapters/express.js";
import { generateKey, SessionManager, type SessionStore } from "../packages/sessionguard/src/index.js";
import { memoryStore } from "../packages/sessionguard/src/stores/memory.js";
import { sqliteStore } from "../packages/sessionguard/src/stores/sqlite.js";
import { CONNECTIONS, type Load, listen, load } from "./lib/http-load.js";

const DURATION = Number(process.env.BENCH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RESULTS = fileURLToPath(new URL("./results/hot-path.json", import.meta.url));
const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Case {
  readonly name: string;
  readonly handler: Handler;
  /** The cookie header of a signed-in client, or `null` for the no-session app. */
  readonly login: (url: string) => Promise<string | null>;
  readonly close?: () => Promise<void>;
}

/** The ceiling: the same route, no session layer. */
function noSessionApp(): Handler {
  const app = express();
  app.get("/me", (_req, res) => {
    res.end("user:alice");
  });
  return app as unknown as Handler;
}

/** express-session with its default MemoryStore; the user id lives in the data. */
function expressSessionApp(): Handler {
  const app = express();
  app.use(
    session({
      secret: generateKey(),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: "lax", secure: false, maxAge: 30 * 60_000 },
    }),
  );
  app.post("/login", (req, res) => {
    (req.session as unknown as { userId: string }).userId = "alice";
    res.end("ok");
  });
  app.get("/me", (req, res) => {
    const userId = (req.session as unknown as { userId?: string }).userId;
    if (userId === undefined) res.status(401).end("anonymous");
    else res.end(`user:${userId}`);
  });
  return app as unknown as Handler;
}

/** sessionguard on Express with its defaults; the session also holds some data, so reads decrypt. */
function sessionguardApp(store: SessionStore): { handler: Handler; manager: SessionManager } {
  const manager = new SessionManager({ store, keys: [generateKey()] });
  const app = express();
  app.use(expressSessions(manager));
  app.post("/login", async (req, res) => {
    await req.session.login("alice");
    req.session.theme = "dark";
    res.end("ok");
  });
  app.get("/me", (req, res) => {
    if (req.session.userId === null) res.status(401).end("anonymous");
    else res.end(`user:${req.session.userId}:${String(req.session.theme)}`);
  });
  return { handler: app as unknown as Handler, manager };
}

async function cookieFrom(url: string): Promise<string> {
  const response = await fetch(`${url}/login`, { method: "POST", headers: SAME_ORIGIN });
  const cookie = response.headers.getSetCookie()[0];
  if (response.status !== 200 || cookie === undefined) throw new Error(`login failed: ${response.status}`);
  return cookie.split(";")[0] as string;
}

async function runAll(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sessionguard-bench-"));
  const memory = sessionguardApp(memoryStore());
  const sqlite = sessionguardApp(sqliteStore({ path: join(dir, "sessions.db") }));
  const cases: Case[] = [
    { name: "no sessions (Express 5)", handler: noSessionApp(), login: async () => null },
    { name: "express-session + MemoryStore", handler: expressSessionApp(), login: cookieFrom },
    { name: "sessionguard + memory", handler: memory.handler, login: cookieFrom, close: () => memory.manager.close() },
    {
      name: "sessionguard + sqlite (WAL file)",
      handler: sqlite.handler,
      login: cookieFrom,
      close: () => sqlite.manager.close(),
    },
  ];
  const running = [];
  for (const c of cases) {
    const server = await listen(c.handler);
    running.push({ case: c, server, cookie: await c.login(server.url) });
  }
  const best = new Map<string, Load>();
  const loadBefore = loadavg()[0];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const r of running) {
        const headers = r.cookie === null ? [] : [`cookie:${r.cookie}`];
        await load(`${r.server.url}/me`, "GET", headers, 1);
        const result = await load(`${r.server.url}/me`, "GET", headers, DURATION);
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(`${r.case.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        const previous = best.get(r.case.name);
        if (previous === undefined || result.requestsPerSecond > previous.requestsPerSecond)
          best.set(r.case.name, result);
      }
    }
  } finally {
    for (const r of running) {
      await r.server.close();
      await r.case.close?.();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const rps = (name: string): number => best.get(name)?.requestsPerSecond ?? Number.NaN;
  const ceiling = rps("no sessions (Express 5)");
  const peer = rps("express-session + MemoryStore");
  const results = cases.map((c) => ({
    app: c.name,
    ...best.get(c.name),
    shareOfNoSessionApp: Math.round((rps(c.name) / ceiling) * 1000) / 1000,
    relativeToExpressSession: Math.round((rps(c.name) / peer) * 1000) / 1000,
  }));
  const report = {
    generatedAt: new Date().toISOString(),
    command: "npx vitest bench --run bench/hot-path.bench.ts",
    machine: {
      cpuModel: cpus()[0]?.model ?? "unknown",
      cpuCount: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      freeMemoryGiB: Math.round(freemem() / 2 ** 30),
      loadAverage1m: { before: loadBefore, after: loadavg()[0] },
      node: process.version,
    },
    settings: {
      scenario: "GET /me with the cookie of one signed-in session: authenticated read, no write",
      transport: "HTTP/1.1 over loopback; the apps in the bench process, autocannon in a child process",
      connections: CONNECTIONS,
      durationSecondsPerRound: DURATION,
      rounds: ROUNDS,
      reported: "the best round of each app, rounds interleaved",
      targets: {
        "relativeToExpressSession (sessionguard)": ">= 1.0 on the same store class",
        "shareOfNoSessionApp (sessionguard)": ">= 0.8",
      },
    },
    results,
  };
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.table(
    results.map((r) => ({
      app: r.app,
      "req/s": r.requestsPerSecond,
      "p99 ms": r.latencyP99Ms,
      "vs no sessions": r.shareOfNoSessionApp,
      "vs express-session": r.relativeToExpressSession,
    })),
  );
}

describe("hot path: authenticated read (HTTP, autocannon)", () => {
  bench("all apps: see the printed table and bench/results/hot-path.json", runAll, {
    iterations: 1,
    warmupIterations: 0,
  });
});
