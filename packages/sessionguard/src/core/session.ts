import type { Duration } from "./duration.js";
import { timingSafeEqual } from "./encoding.js";
import { SessionError } from "./errors.js";
import { currentData, DELETED, type SessionState } from "./lib/session-state.js";

/** Options of {@link Session.login} and {@link Session.regenerate}. */
export interface RegenerateOptions {
  /**
   * Data keys carried into the new session. Default: none, so data an
   * attacker planted before login does not survive it. `"all"` keeps every key.
   */
  readonly keep?: readonly string[] | "all";
}

/** The operations a {@link Session} delegates to its manager. */
export interface SessionEngine {
  login(state: SessionState, userId: string, options: RegenerateOptions): Promise<void>;
  regenerate(state: SessionState, options: RegenerateOptions): Promise<void>;
  logout(state: SessionState, reason: "logout" | "destroy"): Promise<void>;
  save(state: SessionState): Promise<void>;
  revokeOthers(state: SessionState, reason: string): Promise<number>;
  ensureToken(state: SessionState): void;
  newCsrfToken(): string;
  parseTimeouts(
    timeouts: { idle?: Duration; absolute?: Duration },
    state: SessionState,
  ): { idle: number; absolute: number };
}

const RESERVED_KEY = /^__sg/;

let readState: (session: Session) => SessionState;

/**
 * The state behind a session, for the manager only. Not exported from the
 * package: application code cannot reach it (the token issued during a
 * request lives there until it is written to `Set-Cookie`).
 */
export function sessionState(session: Session): SessionState {
  return readState(session);
}

/**
 * One request's view of its session. Reads are synchronous (data was
 * decrypted once when the request arrived); writes are collected as a change
 * set and persisted when the response goes out, merged with concurrent
 * writers so parallel requests never lose each other's keys (SPEC L11).
 */
export class Session {
  readonly #state: SessionState;
  readonly #engine: SessionEngine;

  static {
    readState = (session) => session.#state;
  }

  /** Created by the manager; applications receive sessions from an adapter. */
  constructor(state: SessionState, engine: SessionEngine) {
    this.#state = state;
    this.#engine = engine;
  }

  /**
   * Public session id: a salted hash of the store key, safe for logs and
   * session listings, useless as a cookie. `null` until the session is stored.
   */
  get id(): string | null {
    return this.#state.publicId;
  }

  /** The authenticated user, or `null`. */
  get userId(): string | null {
    return this.#state.record?.userId ?? null;
  }

  /** True after {@link login} (in this or an earlier request) and until logout. */
  get isAuthenticated(): boolean {
    return this.userId !== null;
  }

  /** True when no stored session backs this request yet. */
  get isNew(): boolean {
    return this.#state.record === null;
  }

  /** Creation (or login) time, ms since epoch; `null` for a new session. */
  get createdAt(): number | null {
    return this.#state.record?.createdAt ?? null;
  }

  /** Last login time, ms since epoch; `null` when anonymous. */
  get authenticatedAt(): number | null {
    return this.#state.record?.authenticatedAt ?? null;
  }

  /** The earlier of the idle and absolute deadlines, ms since epoch; `null` for a new session. */
  get expiresAt(): number | null {
    return this.#state.record?.expiresAt ?? null;
  }

  /**
   * Reads a data value. Objects and arrays may be changed in place
   * (`session.get("cart").push(item)`): the change is saved with the response.
   */
  get<T = unknown>(key: string): T | undefined {
    const state = this.#state;
    if (!state.changes.has(key) && !state.reads.has(key) && Object.hasOwn(state.loaded, key)) {
      const value = state.loaded[key];
      if (value !== null && typeof value === "object") state.reads.set(key, JSON.stringify(value));
    }
    const data = currentData(state);
    // Own keys only: the data is a plain object, and "toString" must not read Object.prototype.
    return (Object.hasOwn(data, key) ? data[key] : undefined) as T | undefined;
  }

  /** True when the key holds a value. */
  has(key: string): boolean {
    return Object.hasOwn(currentData(this.#state), key);
  }

  /** Data keys. */
  keys(): string[] {
    return Object.keys(currentData(this.#state));
  }

  /** A copy of all data. */
  toJSON(): Record<string, unknown> {
    return { ...currentData(this.#state) };
  }

  /**
   * Stores a JSON-compatible value. An anonymous session is created (and its
   * cookie sent) the first time data is written.
   * @throws SessionError `ERR_DATA` for a value JSON cannot represent, `ERR_RESERVED_KEY` for names starting `__sg`
   */
  set(key: string, value: unknown): void {
    if (RESERVED_KEY.test(key))
      throw new SessionError("ERR_RESERVED_KEY", "session keys starting with __sg are reserved");
    if (value === undefined) {
      this.delete(key);
      return;
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    if (json === undefined) {
      throw new SessionError("ERR_DATA", `the value for session key "${key.slice(0, 64)}" is not JSON-serialisable`);
    }
    // The value itself is kept (not a copy), so later in-place changes by the caller are saved too, as with express-session.
    this.#state.changes.set(key, value);
    this.#engine.ensureToken(this.#state);
  }

  /** Removes a data value. */
  delete(key: string): void {
    if (!this.has(key)) return;
    this.#state.changes.set(key, DELETED);
    this.#engine.ensureToken(this.#state);
  }

  /** Removes every data value (the session itself stays). */
  clear(): void {
    for (const key of this.keys()) this.delete(key);
  }

  /**
   * Authenticates the session as `userId` (SPEC L6): a new token is issued,
   * the old one stops working at once, the CSRF token is renewed and only the
   * data named in `keep` is carried over.
   * @throws SessionError `ERR_SESSION_LIMIT` when the per-user limit uses the `reject` policy
   */
  login(userId: string, options: RegenerateOptions = {}): Promise<void> {
    if (typeof userId !== "string" || userId.length === 0) {
      return Promise.reject(new SessionError("ERR_CONFIG", "login(userId) needs a non-empty string user id"));
    }
    return this.#engine.login(this.#state, userId, options);
  }

  /** New token for the same user and data, for privilege changes such as a role change (SPEC L6). */
  regenerate(options: RegenerateOptions = { keep: "all" }): Promise<void> {
    return this.#engine.regenerate(this.#state, options);
  }

  /**
   * Ends the session server-side and expires the cookie (SPEC L8). The
   * session object can be used again afterwards as a new anonymous session.
   */
  logout(): Promise<void> {
    return this.#engine.logout(this.#state, "logout");
  }

  /** Like {@link logout}, reported as a revocation instead of a user logout. */
  destroy(): Promise<void> {
    return this.#engine.logout(this.#state, "destroy");
  }

  /** Persists pending changes now instead of when the response is sent. */
  save(): Promise<void> {
    this.#state.forceWrite = true;
    this.#engine.ensureToken(this.#state);
    return this.#engine.save(this.#state);
  }

  /** Ends every other session of this user (ASVS 7.4.3); returns how many ended. */
  revokeOthers(): Promise<number> {
    return this.#engine.revokeOthers(this.#state, "revoke-others");
  }

  /**
   * Call after a password or other credential change (ASVS 7.4.5): ends every
   * other session of the user and gives this one a new token.
   * @returns how many other sessions ended
   */
  async credentialsChanged(): Promise<number> {
    const count = await this.#engine.revokeOthers(this.#state, "credential-change");
    await this.regenerate();
    return count;
  }

  /** Overrides the idle and/or absolute timeout of this session (SPEC L7). */
  setTimeouts(timeouts: { idle?: Duration; absolute?: Duration }): void {
    this.#state.timeouts = this.#engine.parseTimeouts(timeouts, this.#state);
    this.#state.forceWrite = true;
    this.#engine.ensureToken(this.#state);
  }

  /**
   * The session's CSRF synchronizer token, created on first use and renewed at
   * login (SPEC L14). Put it in forms as a hidden input or in a header.
   */
  csrfToken(): string {
    if (this.#state.csrf === null) {
      this.#state.csrf = this.#engine.newCsrfToken();
      this.#state.csrfChanged = true;
      this.#state.forceWrite = true;
      this.#engine.ensureToken(this.#state);
    }
    return this.#state.csrf;
  }

  /** Constant-time check of a submitted CSRF token; `false` when the session has none. */
  verifyCsrfToken(submitted: unknown): boolean {
    const expected = this.#state.csrf;
    if (expected === null || typeof submitted !== "string") return false;
    return timingSafeEqual(submitted, expected);
  }
}
