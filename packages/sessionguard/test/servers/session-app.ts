/**
 * A minimal real HTTP app on `node:http` + `nodeSessions` + `SessionManager`,
 * for tests that break the store underneath it, and a cookie-keeping visitor.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { nodeSessions } from "../../src/adapters/node.js";
import type { SessionStore } from "../../src/core/store.js";
import { generateKey, SessionManager } from "../../src/index.js";

/** A running app: `GET /me`, `POST /login?user=NAME`, `POST /note?text=…`, `GET /health`. */
export interface SessionApp {
  readonly url: string;
  readonly manager: SessionManager;
  close(): Promise<void>;
}

/** Starts the app on 127.0.0.1 with a free port. */
export async function startSessionApp(store: SessionStore): Promise<SessionApp> {
  const manager = new SessionManager({ store, keys: [generateKey()], insecureDevelopmentCookie: true });
  const sessions = nodeSessions(manager);
  const server: Server = createServer(
    sessions.wrap(async (req, res, session) => {
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
    }),
  );
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

/** Signs in to the lab's hardened profile (SPEC §4.1): the login form's CSRF token, then the form post. */
export async function labLogin(visitor: Visitor, username: string, password: string): Promise<Answer> {
  const form = await visitor.send("GET", "/login");
  if (form.status !== 200) return form;
  const csrf = /name="csrf" value="([^"]*)"/.exec(form.body)?.[1] ?? "";
  return visitor.send("POST", "/login", { csrf, username, password });
}
