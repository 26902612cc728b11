import type { IncomingMessage, ServerResponse } from "node:http";
import type { SessionManager } from "../core/manager.js";
import type { Session } from "../core/session.js";
import { hookResponse } from "./lib/hook-response.js";
import { clientIp, nodeHeaderReader, sendRefusal } from "./lib/node-response.js";
import { closeSession, INTERNAL_ERROR, openSession } from "./lib/request-flow.js";

/** Options of {@link nodeSessions}. */
export interface NodeSessionsOptions {
  /**
   * Client IP from `X-Forwarded-For`: `true` or `1` trusts one proxy (the
   * rightmost entry, which that proxy appended), `n` trusts `n` hops. Entries
   * further left are written by the client and never trusted. Default `false`:
   * the socket's peer address.
   */
  readonly trustProxy?: boolean | number;
  /** Receives errors the adapter cannot answer itself (after headers were sent). Default: ignore. */
  readonly onError?: (error: unknown) => void;
}

/** A `node:http` request handler that receives the request's session. */
export type NodeSessionHandler = (req: IncomingMessage, res: ServerResponse, session: Session) => unknown;

/**
 * Sessions for plain `node:http` servers.
 *
 * `attach(req, res)` resolves the session and arranges for it to be saved
 * and its cookie set when the response ends (or, for streamed responses,
 * when the headers go out); it returns `null` after answering 403 (cross-site
 * request) or 503 (store unavailable) itself. `wrap(handler)` does the same
 * for a whole handler.
 *
 * @example
 * const sessions = nodeSessions(manager);
 * http.createServer(sessions.wrap(async (req, res, session) => { res.end(session.userId ?? "anonymous"); }));
 */
export function nodeSessions(
  manager: SessionManager,
  options: NodeSessionsOptions = {},
): {
  attach(req: IncomingMessage, res: ServerResponse): Promise<Session | null>;
  wrap(handler: NodeSessionHandler): (req: IncomingMessage, res: ServerResponse) => void;
} {
  const trustProxy = options.trustProxy ?? false;
  const onError = options.onError ?? (() => {});

  async function attach(req: IncomingMessage, res: ServerResponse): Promise<Session | null> {
    const opened = await openSession(manager, {
      method: req.method ?? "GET",
      header: nodeHeaderReader(req),
      ip: clientIp(req, trustProxy),
    });
    if ("refusal" in opened) {
      sendRefusal(res, opened.refusal);
      return null;
    }
    const session = opened.session;
    hookResponse(res, {
      early: () => manager.prepare(session),
      quick: () => manager.commitIfIdle(session),
      finish: () => closeSession(manager, session),
      onError,
    });
    return session;
  }

  return {
    attach,
    wrap(handler) {
      return (req, res) => {
        attach(req, res)
          .then((session) => (session === null ? undefined : handler(req, res, session)))
          .catch((error: unknown) => {
            onError(error);
            if (!res.headersSent) sendRefusal(res, INTERNAL_ERROR);
            else res.destroy();
          });
      };
    },
  };
}
