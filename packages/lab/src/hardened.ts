import type { IncomingMessage, ServerResponse } from "node:http";
import { type Duration, generateKey, SessionManager, type SessionStore } from "sessionguard";
import { nodeSessions } from "sessionguard/adapters/node";
import { escapeHtml, page, readForm, redirect, send } from "./http.js";
import type { UserDirectory } from "./users.js";

/** Options of the hardened profile. */
export interface HardenedOptions {
  readonly store: SessionStore;
  readonly users: UserDirectory;
  /** Idle timeout; default the library's (30 min). */
  readonly idle?: Duration | undefined;
  /** Absolute timeout; default the library's (12 h). */
  readonly absolute?: Duration | undefined;
}

const NO_STORE = { "cache-control": "no-store" };

/**
 * The hardened profile: the lab's routes on the sessionguard library with its
 * defaults (SPEC §4.1), plus its two opt-in protections (invalid-token limit,
 * three sessions per user). Plain HTTP works on loopback because browsers (and
 * the auditor) treat loopback as a secure context, so the cookie keeps `Secure`.
 */
export function hardenedApp(options: HardenedOptions): {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close: () => Promise<void>;
} {
  const manager = new SessionManager({
    store: options.store,
    keys: [process.env.SESSIONGUARD_LAB_KEY ?? generateKey()],
    // The two opt-in protections a hardened deployment adds to the defaults: the lab sees real
    // client addresses (no proxy in front), so the guessing limit is safe here, and three
    // concurrent sessions per user is a typical policy.
    guessingLimit: true,
    maxSessionsPerUser: 3,
    ...(options.idle === undefined ? {} : { idleTimeout: options.idle }),
    ...(options.absolute === undefined ? {} : { absoluteTimeout: options.absolute }),
  });
  const { users } = options;
  const sessions = nodeSessions(manager);

  const withSession = sessions.wrap(async (req, res, session) => {
    const url = new URL(req.url ?? "/", "http://lab.invalid");
    const route = `${req.method ?? "GET"} ${url.pathname}`;
    switch (route) {
      case "GET /login": {
        const csrf = session.csrfToken();
        return send(
          res,
          200,
          page(
            "Sign in",
            `<form method="post" action="/login"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">` +
              `<label>Username <input name="username" autocomplete="username"></label> ` +
              `<label>Password <input name="password" type="password" autocomplete="current-password"></label> ` +
              `<button>Sign in</button></form>`,
          ),
          undefined,
          NO_STORE,
        );
      }
      case "POST /login": {
        const form = await readForm(req);
        if (!session.verifyCsrfToken(form.get("csrf"))) {
          return send(res, 403, page("Sign in", "<p>The form expired. Please sign in again.</p>"), undefined, NO_STORE);
        }
        const username = form.get("username") ?? "";
        if (!users.verify(username, form.get("password") ?? "")) {
          return send(res, 401, page("Sign in", "<p>Invalid username or password.</p>"), undefined, NO_STORE);
        }
        await session.login(username);
        return redirect(res, "/account");
      }
      case "GET /account":
        if (session.userId === null) {
          return send(
            res,
            401,
            page("Please sign in", '<p><a href="/login">Please sign in</a>.</p>'),
            undefined,
            NO_STORE,
          );
        }
        return send(
          res,
          200,
          page(
            "Account",
            `<p>Signed in as ${escapeHtml(session.userId)}</p>` +
              `<form method="post" action="/logout"><button>Sign out</button></form>` +
              `<form method="post" action="/password"><input name="current" type="password"> <input name="next" type="password"> <button>Change password</button></form>`,
          ),
          undefined,
          NO_STORE,
        );
      case "POST /logout":
        await session.logout();
        return redirect(res, "/");
      case "POST /password": {
        const userId = session.userId;
        if (userId === null)
          return send(res, 401, page("Please sign in", "<p>Please sign in.</p>"), undefined, NO_STORE);
        const form = await readForm(req);
        if (!users.change(userId, form.get("current") ?? "", form.get("next") ?? "")) {
          return send(res, 400, page("Password", "<p>The current password is wrong.</p>"), undefined, NO_STORE);
        }
        await session.credentialsChanged();
        return send(
          res,
          200,
          page("Password", "<p>Password changed. Other sessions were signed out.</p>"),
          undefined,
          NO_STORE,
        );
      }
      default:
        return send(res, 404, page("Not found", "<p>No such page.</p>"));
    }
  });

  // Public routes never open the session, so they keep answering while the store is down (SPEC §4.1).
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const route = `${req.method ?? "GET"} ${new URL(req.url ?? "/", "http://lab.invalid").pathname}`;
    if (route === "GET /") send(res, 200, page("sessionguard lab", "<p>Public page of the hardened profile.</p>"));
    else if (route === "GET /health") send(res, 200, "ok", "text/plain; charset=utf-8");
    else withSession(req, res);
  };
  return { handler, close: () => manager.close() };
}
