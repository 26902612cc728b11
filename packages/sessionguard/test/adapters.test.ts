import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import express from "express";
import express4 from "express4";
import Fastify, { type FastifyInstance } from "fastify";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  type AdapterServer,
  Browser,
  describeAdapterConformance,
  ROUTES,
  type RouteOutput,
  STREAM_ROUTE,
} from "sessionguard/testing/adapters";
import { describe, expect, it } from "vitest";
import { expressSessions } from "../src/adapters/express.js";
import { fastifySessions } from "../src/adapters/fastify.js";
import { honoSessions, type SessionVariables } from "../src/adapters/hono.js";
import type { ExpressSession } from "../src/adapters/lib/session-proxy.js";
import { nodeSessions } from "../src/adapters/node.js";
import { generateKey } from "../src/core/generate-key.js";
import { SessionManager } from "../src/core/manager.js";
import type { Session } from "../src/core/session.js";
import { memoryStore } from "../src/stores/memory.js";

const contentType = (out: RouteOutput): string =>
  out.type === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";

const queryOf = (url: string | undefined): URLSearchParams => new URL(url ?? "/", "http://localhost").searchParams;

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** Listens on 127.0.0.1, port 0; `close` also drops the test client's keep-alive sockets. */
async function listen(server: Server): Promise<AdapterServer> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---- node:http -------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendNode(res: ServerResponse, out: RouteOutput): void {
  res.statusCode = out.status;
  res.setHeader("content-type", contentType(out));
  if (out.cookies !== undefined) res.setHeader("set-cookie", [...out.cookies]);
  res.end(out.body);
}

async function streamNode(res: ServerResponse, session: Session): Promise<void> {
  STREAM_ROUTE.start(session);
  res.setHeader("content-type", "text/plain; charset=utf-8");
  res.write(STREAM_ROUTE.chunks[0]);
  await pause();
  res.end(STREAM_ROUTE.chunks[1]);
}

const startNode = async (manager: SessionManager): Promise<AdapterServer> => {
  const sessions = nodeSessions(manager);
  const server = createServer(
    sessions.wrap(async (req, res, session) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (req.method === "GET" && url.pathname === STREAM_ROUTE.path) return streamNode(res, session);
      const route = ROUTES.find((r) => r.method === req.method && r.path === url.pathname);
      if (route === undefined) {
        res.statusCode = 404;
        res.end("not found");
        return;
      }
      const form = new URLSearchParams(req.method === "POST" ? await readBody(req) : "");
      sendNode(res, await route.handle(session, { query: url.searchParams, form }));
    }),
  );
  return listen(server);
};

// ---- Express 4 and 5 ---------------------------------------------------------

/** The part of an Express request/response both major versions share. */
interface ExpressRequestLike {
  readonly session: ExpressSession;
  readonly originalUrl: string;
  readonly body?: unknown;
}
interface ExpressResponseLike extends ServerResponse {
  status(code: number): this;
  type(type: string): this;
  append(field: string, value: string[]): this;
  send(body: string): this;
}
type ExpressHandler = (req: ExpressRequestLike, res: ExpressResponseLike, next: (error?: unknown) => void) => void;

function expressRoute(route: (typeof ROUTES)[number]): ExpressHandler {
  return (req, res, next) => {
    const form = new URLSearchParams((req.body ?? {}) as Record<string, string>);
    route.handle(req.session.raw, { query: queryOf(req.originalUrl), form }).then((out) => {
      if (out.cookies !== undefined) res.append("Set-Cookie", [...out.cookies]);
      res.status(out.status).type(contentType(out)).send(out.body);
    }, next);
  };
}

const expressStream: ExpressHandler = (req, res, next) => {
  streamNode(res, req.session.raw).catch(next);
};

/** The same app on Express 5 and Express 4: the adapter must not care which. */
const startExpress = async (
  app: {
    use(...handlers: unknown[]): unknown;
    get(path: string, h: ExpressHandler): unknown;
    post(path: string, h: ExpressHandler): unknown;
  },
  urlencoded: (options: { extended: boolean }) => unknown,
  manager: SessionManager,
): Promise<AdapterServer> => {
  app.use(expressSessions(manager));
  app.use(urlencoded({ extended: false }));
  for (const route of ROUTES) {
    if (route.method === "GET") app.get(route.path, expressRoute(route));
    else app.post(route.path, expressRoute(route));
  }
  app.get(STREAM_ROUTE.path, expressStream);
  return listen(createServer(app as Parameters<typeof createServer>[0]));
};

const startExpress5 = (manager: SessionManager): Promise<AdapterServer> =>
  startExpress(express() as never, express.urlencoded, manager);

const startExpress4 = (manager: SessionManager): Promise<AdapterServer> =>
  startExpress(express4() as never, express4.urlencoded, manager);

// ---- Fastify ---------------------------------------------------------------

async function buildFastify(manager: SessionManager): Promise<FastifyInstance> {
  const app = Fastify();
  // @fastify/formbody is not a dependency; URLSearchParams is all the routes need.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
  await app.register(fastifySessions(manager));
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
        const out = await route.handle(request.session, { query: queryOf(request.url), form });
        if (out.cookies !== undefined) reply.header("set-cookie", [...out.cookies]);
        return reply.code(out.status).type(contentType(out)).send(out.body);
      },
    });
  }
  return app;
}

async function listenFastify(app: FastifyInstance): Promise<AdapterServer> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
}

const startFastify = async (manager: SessionManager): Promise<AdapterServer> =>
  listenFastify(await buildFastify(manager));

// ---- Hono ------------------------------------------------------------------

type HonoApp = Hono<{ Variables: SessionVariables }>;

function buildHono(manager: SessionManager): HonoApp {
  const app: HonoApp = new Hono();
  app.use(honoSessions(manager));
  for (const route of ROUTES) {
    app.on(route.method, route.path, async (c) => {
      const form = new URLSearchParams();
      if (route.method === "POST") {
        for (const [key, value] of Object.entries(await c.req.parseBody())) {
          if (typeof value === "string") form.set(key, value);
        }
      }
      const out = await route.handle(c.get("session"), { query: new URL(c.req.url).searchParams, form });
      return c.body(out.body, out.status as ContentfulStatusCode, {
        "content-type": contentType(out),
        ...(out.cookies === undefined ? {} : { "set-cookie": [...out.cookies] }),
      });
    });
  }
  return app;
}

async function listenHono(app: HonoApp): Promise<AdapterServer> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const startHono = async (manager: SessionManager): Promise<AdapterServer> => listenHono(buildHono(manager));

// ---- the suite ---------------------------------------------------------------

describeAdapterConformance("node:http", startNode, { stream: true });
describeAdapterConformance("Express 5", startExpress5, { stream: true });
describeAdapterConformance("Express 4", startExpress4, { stream: true });
describeAdapterConformance("Fastify 5", startFastify);
describeAdapterConformance("Hono (@hono/node-server)", startHono);

// ---- framework-specific translation ------------------------------------------

const newManager = (): SessionManager =>
  new SessionManager({ store: memoryStore({ sweepInterval: 0 }), keys: [generateKey()] });

describe("fastifySessions specifics", () => {
  it("covers routes of child plugins registered after it (not encapsulated)", async () => {
    const manager = newManager();
    const app = await buildFastify(manager);
    await app.register(async (child) => {
      child.post("/child/set", async (request) => {
        request.session.set("child", "yes");
        return "ok";
      });
    });
    const server = await listenFastify(app);
    try {
      const b = new Browser(server.url);
      const r = await b.post("/child/set");
      expect(r.status).toBe(200);
      expect(r.sid).toBeDefined();
      expect(JSON.parse((await b.get("/get?key=child")).body)).toBe("yes");
    } finally {
      await server.close();
      await manager.close();
    }
  });

  it("commits once when the route throws and Fastify's error handler replies", async () => {
    const manager = newManager();
    const app = await buildFastify(manager);
    app.post("/boom", async (request) => {
      request.session.set("before-error", "kept");
      throw new Error("route failed");
    });
    const server = await listenFastify(app);
    try {
      const b = new Browser(server.url);
      const r = await b.post("/boom");
      expect(r.status).toBe(500);
      expect(r.cookies.filter((c) => c.name === "__Host-sid")).toHaveLength(1);
      expect(JSON.parse((await b.get("/get?key=before-error")).body)).toBe("kept");
    } finally {
      await server.close();
      await manager.close();
    }
  });

  it("keeps cookies set on reply.raw and commits once when a later onSend hook fails", async () => {
    const manager = newManager();
    const app = await buildFastify(manager);
    app.post("/raw-cookie", async (request, reply) => {
      request.session.set("raw", "yes");
      reply.raw.setHeader("set-cookie", ["raw=1; Path=/"]);
      return "ok";
    });
    let failed = false;
    app.addHook("onSend", async (request, _reply, payload) => {
      if (request.url === "/later-hook-fails" && !failed) {
        failed = true;
        throw new Error("later hook failed");
      }
      return payload;
    });
    app.post("/later-hook-fails", async (request) => {
      request.session.set("later", "yes");
      return "ok";
    });
    const server = await listenFastify(app);
    try {
      const b = new Browser(server.url);
      const raw = await b.post("/raw-cookie");
      expect(raw.cookies.map((c) => c.name).sort()).toEqual(["__Host-sid", "raw"]);

      const fresh = new Browser(server.url);
      const r = await fresh.post("/later-hook-fails");
      expect(r.status).toBe(500);
      expect(r.cookies.filter((c) => c.name === "__Host-sid")).toHaveLength(1);
      expect(JSON.parse((await fresh.get("/get?key=later")).body)).toBe("yes");
    } finally {
      await server.close();
      await manager.close();
    }
  });
});

describe("honoSessions specifics", () => {
  it("adds the cookie to a Response passed through from fetch() (immutable headers)", async () => {
    const manager = newManager();
    const app = buildHono(manager);
    let self = "";
    app.get("/proxied", async (c) => {
      c.get("session").set("proxied", "yes");
      return fetch(`${self}/public`);
    });
    const server = await listenHono(app);
    self = server.url;
    try {
      const b = new Browser(server.url);
      const r = await b.get("/proxied");
      expect(r.status).toBe(200);
      expect(r.body).toBe("public");
      expect(r.sid).toBeDefined();
      expect(JSON.parse((await b.get("/get?key=proxied")).body)).toBe("yes");
    } finally {
      await server.close();
      await manager.close();
    }
  });

  it("reads the client IP from @hono/node-server by default and from getClientIp when given", async () => {
    const seen: Array<string | undefined> = [];
    for (const options of [{}, { getClientIp: () => "203.0.113.7" }]) {
      const manager = newManager();
      const app: HonoApp = new Hono();
      app.use(honoSessions(manager, options));
      app.post("/login", async (c) => {
        await c.get("session").login("alice");
        return c.text("ok");
      });
      const server = await listenHono(app);
      try {
        expect((await new Browser(server.url).post("/login")).status).toBe(200);
        seen.push((await manager.listSessions("alice"))[0]?.ip);
      } finally {
        await server.close();
        await manager.close();
      }
    }
    expect(seen).toEqual(["127.0.0.1", "203.0.113.7"]);
  });
});
