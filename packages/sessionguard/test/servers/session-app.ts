/**
 * A minimal real HTTP app on the library's own adapters (`node:http` or
 * Express) + `SessionManager`, for tests that break the store underneath it,
 * and a cookie-keeping visitor.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { expressSessions } from "../../src/adapters/express.js";
import { nodeSessions } from "../../src/adapters/node.js";
import type { Session } from "../../src/core/session.js";
import type { SessionStore } from "../../src/core/store.js";
import { generateKey, SessionManager } from "../../src/index.js";

/** A running app: `GET /me`, `POST /login?user=NAME`, `POST /note?text=…`, `GET /health`. */
export interface SessionApp {
  readonly url: string;
  readonly manager: SessionManager;
  close(): Promise<void>;
}

/** The routes of the app, the same on every adapter. */
async function handle(req: IncomingMessage, res: ServerResponse, session: Session): Promise<void> {
  const url = new URL(req.url ?? "/", "http://app.invalid");
  const reply = (status: number, body: string): void => {
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(body);
  };
  const route = `${req.method} ${url.pathname}`;
  if (route === "GET /health") return reply(200, "ok");
  if (route === "GET /me") {
    return session.userId === null ? reply(401, "anonymous") : reply(200, `user:${session.userId}`);
  }
  if (route === "POST /login") {
    await session.login(url.searchParams.get("user") ?? "alice");
    return reply(200, "logged-in");
  }
  if (route === "POST /note") {
    if (session.userId === null) return reply(401, "anonymous");
    session.set("note", url.searchParams.get("text") ?? "");
    return reply(200, "noted");
  }
  if (route === "GET /note") return reply(200, String(session.get("note") ?? ""));
  return reply(404, "not found");
}

/** Starts the app on 127.0.0.1 with a free port, on `node:http` (default) or Express. */
export async function startSessionApp(
  store: SessionStore,
  options: { readonly adapter?: "node" | "express" } = {},
): Promise<SessionApp> {
  const manager = new SessionManager({ store, keys: [generateKey()], insecureDevelopmentCookie: true });
  let server: Server;
  if (options.adapter === "express") {
    const app = express();
    app.use(expressSessions(manager));
    app.use((req, res, next) => {
      handle(req, res, req.session.raw).catch(next);
    });
    server = createServer(app);
  } else {
    server = createServer(nodeSessions(manager).wrap(handle));
  }
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    manager,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One response, body read. */
export interface Answer {
  readonly status: number;
  readonly body: string;
  /** Milliseconds from sending to the end of the body. */
  readonly ms: number;
}

/** A browser stand-in: keeps the session cookie it is given. */
export class Visitor {
  cookie: string | undefined;
  constructor(
    readonly base: string,
    readonly cookieName: string,
  ) {}

  async send(method: "GET" | "POST", path: string, form?: Record<string, string>): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(this.cookie === undefined ? {} : { cookie: `${this.cookieName}=${this.cookie}` }),
        ...(form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
        // Same-origin, as a browser form post would say: the CSRF check passes.
        origin: this.base,
        "sec-fetch-site": "same-origin",
      },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
      redirect: "manual",
      signal: AbortSignal.timeout(20_000),
    });
    const body = await response.text();
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const eq = pair.indexOf("=");
      if (pair.slice(0, eq).trim() !== this.cookieName) continue;
      const value = pair.slice(eq + 1).trim();
      this.cookie = value === "" || /max-age=0/i.test(header) ? undefined : value;
    }
    return { status: response.status, body, ms: performance.now() - started };
  }
}
