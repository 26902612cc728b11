import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { SessionManager } from "../core/manager.js";
import type { Session } from "../core/session.js";
import { clientIp, nodeHeaderReader } from "./lib/node-response.js";
import {
  type CloseOutcome,
  closeSession,
  INTERNAL_ERROR,
  openSession,
  type RefusalResponse,
} from "./lib/request-flow.js";

/** Options of {@link fastifySessions}. */
export interface FastifySessionsOptions {
  /**
   * Client IP from `X-Forwarded-For`: `true`/`1` trusts one proxy (the
   * rightmost entry), `n` trusts `n` hops; `false`: the socket peer. Default:
   * Fastify's own `trustProxy` setting (`request.ip`).
   */
  readonly trustProxy?: boolean | number;
  /**
   * Receives errors the adapter answers with a generic 503 itself: a commit
   * that failed for a reason other than the store being down (e.g.
   * `ERR_DATA`, `ERR_STORE_CONFLICT`). Default: `request.log.error`.
   */
  readonly onError?: (error: unknown) => void;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The sessionguard session (set by `fastifySessions`). */
    session: Session;
  }
}

/**
 * Fastify 5 plugin: `request.session` is the request's {@link Session}.
 *
 * It is not encapsulated (like a `fastify-plugin` wrapped plugin), so the
 * hooks cover every route of the instance that registers it. A cross-site
 * unsafe request is answered 403 before any handler runs, an unavailable
 * store 503; the session is saved in `onSend`, before the headers go out, so
 * streamed payloads get their cookie too (changes made while a stream is
 * still being produced come too late to be saved).
 *
 * @example
 * await app.register(fastifySessions(new SessionManager({ store, keys })));
 * app.post("/login", async (request) => { await request.session.login(user.id); return "ok"; });
 */
export function fastifySessions(manager: SessionManager, options: FastifySessionsOptions = {}): FastifyPluginAsync {
  // Keyed by request so a second onSend pass (Fastify re-runs onSend for the
  // error handler's reply) and refused requests never commit twice.
  const open = new WeakMap<FastifyRequest, Session>();
  const { trustProxy, onError } = options;

  const plugin: FastifyPluginAsync = async (fastify) => {
    fastify.decorateRequest("session", null, []);

    fastify.addHook("onRequest", async (request, reply) => {
      const opened = await openSession(manager, {
        method: request.method,
        header: nodeHeaderReader(request.raw),
        ip: trustProxy === undefined ? request.ip : clientIp(request.raw, trustProxy),
      });
      if ("refusal" in opened) {
        return reply.code(opened.refusal.status).headers(opened.refusal.headers).send(opened.refusal.body);
      }
      request.session = opened.session;
      open.set(request, opened.session);
      return undefined;
    });

    fastify.addHook("onSend", async (request, reply, payload) => {
      const session = open.get(request);
      if (session === undefined) return payload;
      open.delete(request);
      let closed: CloseOutcome;
      try {
        closed = await closeSession(manager, session);
      } catch (error) {
        if (onError === undefined) request.log.error({ err: error }, "sessionguard: saving the session failed");
        else onError(error);
        return refuse(reply, INTERNAL_ERROR, payload);
      }
      if ("refusal" in closed) return refuse(reply, closed.refusal, payload);
      const { setCookie, headers } = closed.response;
      if (setCookie.length > 0) {
        // getHeader also sees cookies set on reply.raw; removing first keeps
        // reply.header's own set-cookie appending from doubling them.
        const existing = reply.getHeader("set-cookie");
        const kept = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
        reply.removeHeader("set-cookie");
        reply.header("set-cookie", [...kept, ...setCookie]);
      }
      for (const [name, value] of headers) reply.header(name, value);
      return payload;
    });
  };

  return Object.assign(plugin, {
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: "sessionguard",
  });
}

/** Turns the reply into the refusal; the application's headers (its cookies included) must not leak into it. */
function refuse(reply: FastifyReply, refusal: RefusalResponse, payload: unknown): string {
  discard(payload);
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  reply.code(refusal.status).headers(refusal.headers);
  return refusal.body;
}

/** A streamed payload that will not be sent still holds a file handle or a producer. */
function discard(payload: unknown): void {
  if (payload === null || typeof payload !== "object") return;
  const stream = payload as { destroy?: unknown; cancel?: unknown; locked?: unknown };
  if (typeof stream.destroy === "function") (stream.destroy as () => void).call(payload);
  else if (typeof stream.cancel === "function" && stream.locked === false) {
    (stream.cancel as () => Promise<void>).call(payload).catch(() => {});
  }
}
