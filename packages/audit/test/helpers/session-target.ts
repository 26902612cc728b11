import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a {@link startSessionTarget} server does at each login, given the user's live sessions, oldest first. */
export interface LoginPolicy {
  /**
   * Called before the new session is added: return `false` to refuse the
   * login, or the ids to end (evict) from `sessions`. Default: keep all.
   */
  onLogin?(sessions: readonly string[]): readonly string[] | false;
}

/** Options of {@link startSessionTarget}. */
export interface SessionTargetOptions {
  /** The body of `GET /login` (default: a small form with a hidden `csrf` input). */
  readonly loginPage?: string;
  /** The `csrf` value `POST /login` requires (default: none required). */
  readonly csrf?: string;
  /** The body `GET /account` sends to an authenticated session (default `Signed in as alice`). */
  readonly accountPage?: string;
  readonly policy?: LoginPolicy;
}

/** A running target. */
export interface SessionTarget {
  readonly url: string;
  /** Live session ids of `alice`, oldest first. */
  readonly sessions: () => readonly string[];
  close(): Promise<void>;
}

/**
 * A small session app on 127.0.0.1 for auditor tests: `POST /login`
 * (alice / alice-pw) issues `sid`, `GET /account` says whether the session
 * is alive, `POST /logout` ends it. Sessions never expire; what happens at
 * login beyond that is the policy's choice.
 */
export async function startSessionTarget(options: SessionTargetOptions = {}): Promise<SessionTarget> {
  const live: string[] = [];
  const loginPage =
    options.loginPage ??
    `<form method="post" action="/login"><input type="hidden" name="csrf" value="${options.csrf ?? "c"}"><input name="username"><input name="password" type="password"></form>`;
  const readBody = (req: IncomingMessage): Promise<URLSearchParams> =>
    new Promise((resolve) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on("end", () => resolve(new URLSearchParams(body)));
    });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://x");
    const sid = /(?:^|;\s*)sid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "")?.[1];
    const route = `${req.method} ${url.pathname}`;
    if (route === "GET /") {
      res.writeHead(200, { "content-type": "text/html" });
      return void res.end("<a href='/login'>Sign in</a>");
    }
    if (route === "GET /login") {
      res.writeHead(200, { "content-type": "text/html" });
      return void res.end(loginPage);
    }
    if (route === "POST /login") {
      const form = await readBody(req);
      const csrfOk = options.csrf === undefined || form.get("csrf") === options.csrf;
      if (!csrfOk || form.get("username") !== "alice" || form.get("password") !== "alice-pw") {
        res.writeHead(403, { "content-type": "text/plain" });
        return void res.end("Please sign in");
      }
      const decision = options.policy?.onLogin?.([...live]) ?? [];
      if (decision === false) {
        res.writeHead(429, { "content-type": "text/plain" });
        return void res.end("Please sign in: too many sessions");
      }
      for (const id of decision) if (live.includes(id)) live.splice(live.indexOf(id), 1);
      const id = randomBytes(16).toString("base64url");
      live.push(id);
      res.writeHead(303, { location: "/account", "set-cookie": `sid=${id}; Path=/; HttpOnly; SameSite=Lax` });
      return void res.end();
    }
    if (route === "GET /account") {
      if (sid !== undefined && live.includes(sid)) {
        res.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" });
        return void res.end(options.accountPage ?? "Signed in as alice");
      }
      res.writeHead(401, { "content-type": "text/plain" });
      return void res.end("Please sign in");
    }
    if (route === "POST /logout") {
      if (sid !== undefined && live.includes(sid)) live.splice(live.indexOf(sid), 1);
      res.writeHead(303, { location: "/login", "set-cookie": "sid=; Path=/; Max-Age=0" });
      return void res.end();
    }
    res.writeHead(404);
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessions: () => [...live],
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A small seeded generator (mulberry32), so a "random" target behaves the same in every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Quadratic bait (issue 13): a login form with a hidden `csrf` input, then
 * `<form><input>` repeated and never closed, up to `bytes`. A scan that
 * looks for each form's `</form>` reads the rest of the page once per form.
 */
export function formBait(bytes: number, csrf = "tok"): string {
  const head = `<form action="/login"><input type="hidden" name="csrf" value="${csrf}">`;
  return (head + "<form><input>".repeat(Math.ceil(bytes / 13))).slice(0, bytes);
}
