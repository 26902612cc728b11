import type { Context, MiddlewareHandler } from "hono";
import type { ResponseFacts, SessionManager } from "../core/manager.js";
import type { Session } from "../core/session.js";
import { closeSession, openSession } from "./lib/request-flow.js";

/** Context variables set by {@link honoSessions}: `c.get("session")` / `c.var.session`. */
export type SessionVariables = { session: Session };

/** Options of {@link honoSessions}. */
export interface HonoSessionsOptions {
  /**
   * The client IP for session listings and binding checks. Default: the
   * socket peer that `@hono/node-server` exposes (`c.env.incoming`), else
   * `undefined`. On other runtimes pass their own, e.g. Hono's `getConnInfo`
   * or a header your edge proxy sets.
   */
  readonly getClientIp?: (c: Context) => string | undefined;
}

/**
 * Hono middleware: `c.get("session")` is the request's {@link Session}.
 *
 * Uses only Web-standard `Request`/`Response`/`Headers`, so it runs on
 * Node (`@hono/node-server`), Bun, Deno and workers. A cross-site unsafe
 * request is answered 403 before the handler, an unavailable store 503; the
 * session is saved after the handler, before the response leaves (changes
 * made later, inside a `stream()` callback, come too late to be saved).
 *
 * @example
 * const app = new Hono<{ Variables: SessionVariables }>();
 * app.use(honoSessions(new SessionManager({ store, keys })));
 * app.post("/login", async (c) => { await c.get("session").login(user.id); return c.text("ok"); });
 */
export function honoSessions(
  manager: SessionManager,
  options: HonoSessionsOptions = {},
): MiddlewareHandler<{ Variables: SessionVariables }> {
  const getClientIp = options.getClientIp ?? nodeServerIp;
  return async (c, next) => {
    const opened = await openSession(manager, {
      method: c.req.method,
      header: (name) => c.req.raw.headers.get(name),
      ip: getClientIp(c),
    });
    if ("refusal" in opened) {
      return c.body(opened.refusal.body, opened.refusal.status, opened.refusal.headers);
    }
    c.set("session", opened.session);
    await next();
    const closed = await closeSession(manager, opened.session);
    if ("refusal" in closed) {
      c.res.body?.cancel().catch(() => {});
      // Hono copies the previous response's headers into an assigned one;
      // clearing it first keeps the app's cookies and Content-Length out of the 503.
      c.res = undefined;
      c.res = new Response(closed.refusal.body, {
        status: closed.refusal.status,
        headers: closed.refusal.headers,
      });
      return undefined;
    }
    try {
      applyFacts(c.res.headers, closed.response);
    } catch (error) {
      // A Response passed through from fetch() has immutable headers; the
      // first mutation throws, so nothing was half-applied.
      if (!(error instanceof TypeError)) throw error;
      c.res = new Response(c.res.body, c.res);
      applyFacts(c.res.headers, closed.response);
    }
    return undefined;
  };
}

function applyFacts(headers: Headers, facts: ResponseFacts): void {
  for (const cookie of facts.setCookie) headers.append("set-cookie", cookie);
  for (const [name, value] of facts.headers) headers.set(name, value);
}

/** `@hono/node-server` passes `{ incoming, outgoing }` as the env; other runtimes pass something else. */
function nodeServerIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: unknown } } } | null | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  return typeof address === "string" ? address : undefined;
}
