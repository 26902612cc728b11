import type { Duration } from "../../core/duration.js";
import { SessionError } from "../../core/errors.js";
import type { Session } from "../../core/session.js";

type Callback = (error?: unknown) => void;

/**
 * `req.session` for Express: reads and writes like express-session's plain
 * object (`req.session.cart = [...]`), plus the lifecycle methods. Method
 * names are reserved; assigning to one throws `ERR_RESERVED_KEY`.
 */
export interface ExpressSession {
  [key: string]: unknown;
  /** Public session id (salted hash, not the token); `null` before the session is stored. */
  readonly id: string | null;
  readonly userId: string | null;
  readonly isAuthenticated: boolean;
  /** Authenticates as `userId` with a new token; `keep` lists data keys to carry over (default none). */
  login(userId: string, options?: { keep?: readonly string[] | "all" }): Promise<void>;
  /** Ends the session server-side and clears the cookie. */
  logout(): Promise<void>;
  /**
   * express-session semantics: a new token and empty data (the user stays
   * signed in). Accepts a callback or returns a promise.
   */
  regenerate(callback?: Callback): Promise<void>;
  /** Ends the session (express-session `destroy`); callback or promise. */
  destroy(callback?: Callback): Promise<void>;
  /** Saves now instead of at the end of the response; callback or promise. */
  save(callback?: Callback): Promise<void>;
  /** Activity is recorded automatically (throttled); kept for express-session compatibility. */
  touch(): void;
  /** Ends every other session of this user. */
  revokeOthers(): Promise<number>;
  /** After a password change: ends the other sessions and renews this token. */
  credentialsChanged(): Promise<number>;
  /** The per-session CSRF synchronizer token. */
  csrfToken(): string;
  verifyCsrfToken(submitted: unknown): boolean;
  setTimeouts(timeouts: { idle?: Duration; absolute?: Duration }): void;
  /** The underlying {@link Session}. */
  readonly raw: Session;
  /** Read-only view kept for express-session compatibility; assigning to it throws `ERR_RESERVED_KEY`. */
  readonly cookie: Readonly<Record<string, unknown>>;
  /** Not supported (writes merge at save); rejects with `ERR_SESSION_STATE`. */
  reload(callback?: Callback): Promise<void>;
}

function withCallback(promise: Promise<unknown>, callback: Callback | undefined): Promise<void> {
  const done = promise.then(() => undefined);
  if (callback !== undefined) {
    done.then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }
  return done;
}

/** `req.session.cookie`: readable like express-session's, but set through the manager's `cookie` options. */
const cookieView: Readonly<Record<string, unknown>> = new Proxy(
  { maxAge: null, originalMaxAge: null, expires: null, httpOnly: true, secure: true, path: "/" },
  {
    set(_target, key) {
      throw new SessionError(
        "ERR_RESERVED_KEY",
        `req.session.cookie.${String(key)} cannot be changed per request: set cookie options on the SessionManager (cookie, idleTimeout, absoluteTimeout) or use req.session.setTimeouts()`,
      );
    },
  },
);

/** Wraps a {@link Session} in the express-session-shaped proxy. */
export function createSessionProxy(session: Session): ExpressSession {
  const members: Record<string, () => unknown> = {
    id: () => session.id,
    userId: () => session.userId,
    isAuthenticated: () => session.isAuthenticated,
    raw: () => session,
    login: () => (userId: string, options?: { keep?: readonly string[] | "all" }) => session.login(userId, options),
    logout: () => () => session.logout(),
    regenerate: () => (cb?: Callback) => withCallback(session.regenerate({ keep: [] }), cb),
    destroy: () => (cb?: Callback) => withCallback(session.destroy(), cb),
    save: () => (cb?: Callback) => withCallback(session.save(), cb),
    touch: () => () => undefined,
    revokeOthers: () => () => session.revokeOthers(),
    credentialsChanged: () => () => session.credentialsChanged(),
    csrfToken: () => () => session.csrfToken(),
    verifyCsrfToken: () => (value: unknown) => session.verifyCsrfToken(value),
    setTimeouts: () => (t: { idle?: Duration; absolute?: Duration }) => session.setTimeouts(t),
    toJSON: () => () => session.toJSON(),
    // express-session exposes these; here the manager owns the cookie and writes merge, so
    // touching them fails loudly instead of storing data under their names.
    cookie: () => cookieView,
    reload: () => (cb?: Callback) =>
      withCallback(
        Promise.reject(
          new SessionError(
            "ERR_SESSION_STATE",
            "req.session.reload() is not supported: concurrent writes are merged at save, read req.session directly",
          ),
        ),
        cb,
      ),
  };
  const reserved = (key: string): boolean => Object.hasOwn(members, key);
  return new Proxy({} as ExpressSession, {
    get(_target, key) {
      if (typeof key === "symbol") return undefined;
      // Object.hasOwn, not `in`: Object.prototype names (hasOwnProperty, toString…) are data keys here.
      return Object.hasOwn(members, key) ? (members[key] as () => unknown)() : session.get(key);
    },
    set(_target, key, value) {
      if (typeof key === "symbol" || reserved(key)) {
        throw new SessionError("ERR_RESERVED_KEY", `req.session.${String(key)} is reserved by sessionguard`);
      }
      session.set(key, value);
      return true;
    },
    deleteProperty(_target, key) {
      if (typeof key === "string" && !reserved(key)) session.delete(key);
      return true;
    },
    has(_target, key) {
      return typeof key === "string" && (reserved(key) || session.has(key));
    },
    ownKeys() {
      return session.keys();
    },
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key !== "string" || !session.has(key)) return undefined;
      return { value: session.get(key), writable: true, enumerable: true, configurable: true };
    },
  });
}
