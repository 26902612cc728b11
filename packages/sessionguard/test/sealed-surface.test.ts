import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { expressSessions } from "../src/adapters/express.js";
import { fastifySessions } from "../src/adapters/fastify.js";
import { honoSessions, type SessionVariables } from "../src/adapters/hono.js";
import { nodeSessions } from "../src/adapters/node.js";
import type { SessionManager } from "../src/index.js";
import { Browser as HttpBrowser } from "../src/testing/lib/browser.js";
import { Browser, setup } from "./helpers/harness.js";
import { reachableText } from "./helpers/reachable.js";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function expectUnreachable(texts: readonly string[], token: string | undefined): void {
  expect(token).toMatch(TOKEN);
  const leaks = texts.filter((text) => text.includes(token as string));
  expect(leaks, "the session token is reachable from application code").toEqual([]);
}

describe("reachableText (the probe itself)", () => {
  it("finds a secret behind a prototype getter, a symbol, a non-enumerable property and a proxy name", () => {
    const secret = "s".repeat(43);
    class Leaky {
      get hidden(): { deep: string[] } {
        return { deep: [secret] };
      }
    }
    const bySymbol = { [Symbol("x")]: { v: secret } };
    const nonEnumerable = Object.defineProperty({}, "v", { value: secret, enumerable: false });
    const proxy = new Proxy({}, { get: (_t, key) => (key === "issuedToken" ? secret : undefined), ownKeys: () => [] });
    for (const subject of [new Leaky(), bySymbol, nonEnumerable, proxy]) {
      expect(reachableText(subject).some((text) => text.includes(secret))).toBe(true);
    }
  });
});

describe("a Session never exposes its token (sealed surface)", () => {
  it("not while the token is being issued at login, nor when it is presented, nor during periodic rotation", async () => {
    const { manager, clock } = setup({ rotation: { interval: "1m", grace: "10s" } });
    const browser = new Browser(manager);
    let atLogin: string[] = [];
    await browser.request(async (session) => {
      session.set("cart", ["book"]);
      await session.login("alice", { keep: "all" });
      session.csrfToken();
      atLogin = reachableText(session);
    });
    const issued = browser.token;
    expectUnreachable(atLogin, issued);

    let presented: string[] = [];
    await browser.request((session) => {
      expect(session.userId).toBe("alice");
      presented = reachableText(session);
    });
    expectUnreachable(presented, issued);

    clock.advance(2 * 60_000);
    const session = await manager.load({ cookieHeader: `${manager.cookieName}=${issued}` });
    const facts = manager.prepare(session);
    const rotated = facts.setCookie[0]?.split(";")[0]?.split("=")[1];
    expect(rotated).not.toBe(issued);
    const duringRotation = reachableText(session);
    expectUnreachable(duringRotation, rotated);
    expectUnreachable(duringRotation, issued);
    await manager.commit(session);
  });
});

/** The object each framework hands the application, walked inside the route. */
type Walk = (sessionObject: unknown) => void;

/** A listening server's URL and a `close` that also drops keep-alive sockets. */
function running(server: Server): { url: string; close(): Promise<void> } {
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function listenNode(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return running(server);
}

const ADAPTERS: Record<
  string,
  (manager: SessionManager, walk: Walk) => Promise<{ url: string; close(): Promise<void> }>
> = {
  "node:http": (manager, walk) =>
    listenNode(
      createServer(
        nodeSessions(manager).wrap(async (req, res, session) => {
          if (req.method === "POST") await session.login("alice");
          walk(session);
          res.end("ok");
        }),
      ),
    ),
  Express: (manager, walk) => {
    const app = express();
    app.use(expressSessions(manager));
    app.all("/", (req, res, next) => {
      (req.method === "POST" ? req.session.login("alice") : Promise.resolve()).then(() => {
        walk(req.session);
        res.send("ok");
      }, next);
    });
    return listenNode(createServer(app));
  },
  Fastify: async (manager, walk) => {
    const app = Fastify();
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_r, body, done) => {
      done(null, body);
    });
    await app.register(fastifySessions(manager));
    app.all("/", async (request) => {
      if (request.method === "POST") await request.session.login("alice");
      walk(request.session);
      return "ok";
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  },
  Hono: async (manager, walk) => {
    const app = new Hono<{ Variables: SessionVariables }>();
    app.use(honoSessions(manager));
    app.on(["GET", "POST"], "/", async (c) => {
      if (c.req.method === "POST") await c.get("session").login("alice");
      walk(c.get("session"));
      walk(c.var);
      return c.text("ok");
    });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    return running(server);
  },
};

describe.each(Object.keys(ADAPTERS))("the %s adapter's session object never exposes the token", (name) => {
  it("at login (token just issued) and on the next request (token presented)", async () => {
    const { manager } = setup();
    const texts: string[] = [];
    const start = ADAPTERS[name] as (typeof ADAPTERS)[string];
    const server = await start(manager, (sessionObject) => texts.push(...reachableText(sessionObject)));
    try {
      const browser = new HttpBrowser(server.url);
      const login = await browser.post("/");
      expect(login.status).toBe(200);
      const token = login.sid?.value;
      expect((await browser.get("/")).status).toBe(200);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.join("\n")).toContain("alice");
      expectUnreachable(texts, token);
    } finally {
      await server.close();
      await manager.close();
    }
  });
});
