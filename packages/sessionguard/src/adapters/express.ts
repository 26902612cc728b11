import type { IncomingMessage, ServerResponse } from "node:http";
import type { SessionManager } from "../core/manager.js";
import { hookResponse } from "./lib/hook-response.js";
import { clientIp, nodeHeaderReader, sendRefusal } from "./lib/node-response.js";
import { closeSession, openSession } from "./lib/request-flow.js";
import { createSessionProxy, type ExpressSession } from "./lib/session-proxy.js";
import type { NodeSessionsOptions } from "./node.js";

export type { ExpressSession } from "./lib/session-proxy.js";

/** Options of {@link expressSessions}. `trustProxy` defaults to Express's own `trust proxy` setting (`req.ip`). */
export type ExpressSessionsOptions = NodeSessionsOptions;

type ExpressLikeRequest = IncomingMessage & { ip?: string | undefined; session?: ExpressSession };
type Next = (error?: unknown) => void;

/**
 * Express 4 and 5 middleware. `req.session` behaves like express-session's
 * object (see `docs/migrating-from-express-session.md`) with `login`,
 * `logout`, `regenerate`, `destroy` and `save`.
 *
 * @example
 * app.use(expressSessions(new SessionManager({ store, keys })));
 * app.post("/login", async (req, res) => { await req.session.login(user.id); res.redirect("/account"); });
 */
export function expressSessions(
  manager: SessionManager,
  options: ExpressSessionsOptions = {},
): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const onError = options.onError ?? (() => {});
  return (req, res, next) => {
    const request = req as ExpressLikeRequest;
    const ip =
      options.trustProxy === undefined ? (request.ip ?? clientIp(req, false)) : clientIp(req, options.trustProxy);
    openSession(manager, { method: req.method ?? "GET", header: nodeHeaderReader(req), ip })
      .then((opened) => {
        if ("refusal" in opened) {
          sendRefusal(res, opened.refusal);
          return;
        }
        const session = opened.session;
        hookResponse(res, {
          early: () => manager.prepare(session),
          quick: () => manager.commitIfIdle(session),
          finish: () => closeSession(manager, session),
          onError,
        });
        request.session = createSessionProxy(session);
        next();
      })
      .catch(next);
  };
}

declare global {
  namespace Express {
    interface Request {
      /** The sessionguard session (set by `expressSessions`). */
      session: import("./lib/session-proxy.js").ExpressSession;
    }
  }
}
