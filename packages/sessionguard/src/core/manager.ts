import { clearingCookie, readCookieValue, tokenCookie } from "./cookie.js";
import { checkRequestOrigin, type HeaderReader, type OriginCheck } from "./csrf.js";
import { cookieLifetime, expiryReason, isDue, sessionDeadline } from "./deadlines.js";
import { type Duration, parseDuration } from "./duration.js";
import { SessionError } from "./errors.js";
import { type SessionEvent, type SessionEventListener, SessionEvents, type SessionEventType } from "./events.js";
import { GuessGuard } from "./guess-guard.js";
import { ipNetwork } from "./ip-network.js";
import { openRecord, publicId, storeKey } from "./lib/record-codec.js";
import { collectMutations, emptyState, type SessionState } from "./lib/session-state.js";
import { clientFields, isDirty, readFollowingAlias, WriteProtocol } from "./lib/write-protocol.js";
import { type ResolvedOptions, resolveOptions, type SessionManagerOptions } from "./options.js";
import { Session, type SessionEngine, sessionState } from "./session.js";
import type { SessionRecord } from "./store.js";
import { generateToken, isWellFormedToken } from "./token.js";

/** What the manager needs to know about an incoming request. */
export interface RequestFacts {
  /** The raw `Cookie` header. Tokens are read from here only, never from the URL or body (SPEC L5). */
  readonly cookieHeader: string | null | undefined;
  /** Client IP address, for listings and binding checks. */
  readonly ip?: string | undefined;
  /** `User-Agent` header. */
  readonly userAgent?: string | undefined;
}

/** Headers to add to the response after {@link SessionManager.commit}. */
export interface ResponseFacts {
  /** `Set-Cookie` values (zero or one). */
  readonly setCookie: readonly string[];
  /** Other headers, e.g. `Clear-Site-Data`, and `Cache-Control: no-store` when a cookie is set. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** One entry of {@link SessionManager.listSessions} (ASVS 7.4.5 session listing). */
export interface SessionInfo {
  /** Public id (salted hash): pass it to {@link SessionManager.revokeSession}. */
  readonly id: string;
  /** When the session (or its login) began, ms since epoch. */
  readonly createdAt: number;
  /** Last login in this session, ms since epoch; `null` if never authenticated. */
  readonly authenticatedAt: number | null;
  /** Last recorded activity, ms since epoch (throttled by `touchInterval`). */
  readonly lastSeenAt: number;
  /** The earlier of the idle and absolute deadlines, ms since epoch. */
  readonly expiresAt: number;
  /** Client IP when the session was created. */
  readonly ip?: string;
  /** User-Agent when the session was created (at most 256 characters). */
  readonly userAgent?: string;
}

const USER_AGENT_MAX = 256;

/**
 * Secure-by-default server-side sessions (SPEC §1). One manager per app;
 * adapters call {@link load} when a request arrives and {@link commit}
 * before its headers go out.
 *
 * @example
 * const sessions = new SessionManager({ store: sqliteStore({ path: "sessions.db" }), keys: [process.env.SESSION_KEY!] });
 */
export class SessionManager {
  readonly #o: ResolvedOptions;
  readonly #events = new SessionEvents();
  readonly #writes: WriteProtocol;
  readonly #engine: SessionEngine;
  readonly #guard: GuessGuard | null;

  /**
   * Validates every option now (SPEC L15).
   * @throws SessionError `ERR_CONFIG`, `ERR_WEAK_KEY` or `ERR_INSECURE_COOKIE` with a message that says what to change
   */
  constructor(options: SessionManagerOptions) {
    this.#o = resolveOptions(options);
    this.#guard = this.#o.guessingLimit === null ? null : new GuessGuard(this.#o.guessingLimit, this.#o.clock);
    this.#writes = new WriteProtocol(this.#o, (type, at, sid, userId, extra) =>
      this.#emit(type, at, sid, userId, extra),
    );
    this.#engine = {
      login: (s, userId, opts) => this.#writes.replace(s, userId, opts, "authenticated"),
      regenerate: (s, opts) => this.#writes.replace(s, s.record?.userId ?? null, opts, "rotated"),
      logout: (s, reason) => this.#logout(s, reason),
      save: (s) => this.#writes.save(s),
      revokeOthers: (s, reason) => this.#revokeOthers(s, reason),
      ensureToken: (s) => this.#ensureToken(s),
      newCsrfToken: () => generateToken(this.#o.random),
      parseTimeouts: (t, s) => this.#parseTimeouts(t, s),
    };
  }

  /** Name of the session cookie (default `__Host-sid`). */
  get cookieName(): string {
    return this.#o.cookie.name;
  }

  /**
   * Subscribes to lifecycle events (SPEC L12); `"*"` for all.
   * @returns unsubscribe function
   */
  on(type: SessionEventType | "*", listener: SessionEventListener): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Cross-site check for unsafe methods (SPEC L14); always passes when the
   * manager was built with `csrf: false`. Adapters call it and answer 403.
   */
  checkOrigin(method: string, header: HeaderReader): OriginCheck {
    if (this.#o.csrf === null) return { ok: true };
    return checkRequestOrigin(method, header, this.#o.csrf.trustedOrigins);
  }

  /**
   * Resolves the request's session: one store read on the hot path. An
   * absent, malformed, unknown or expired token yields a new anonymous
   * session (never an adopted id, SPEC L5) and a cookie that clears it.
   * @throws SessionError `ERR_STORE_UNAVAILABLE` when the store fails (adapters answer 503),
   * `ERR_RATE_LIMITED` when this client is blocked for sending invalid tokens (429)
   */
  async load(request: RequestFacts): Promise<Session> {
    const client = clientFacts(request);
    const state = emptyState(client);
    const session = new Session(state, this.#engine);
    const token = readCookieValue(request.cookieHeader, this.#o.cookie.name);
    if (token === undefined) return session;
    const blocked = this.#guard !== null && client.ip !== undefined ? this.#guard.blockedFor(guessKey(client.ip)) : 0;
    if (blocked > 0) {
      throw new SessionError(
        "ERR_RATE_LIMITED",
        `too many invalid session tokens from this client; retry in ${blocked} s`,
        { details: { retryAfter: blocked } },
      );
    }
    const now = this.#o.clock();
    if (!isWellFormedToken(token)) {
      this.#reject(state, "malformed", now);
      return session;
    }
    const ring = await this.#o.keyRing();
    const found = await readFollowingAlias(this.#o, ring, await storeKey(ring, token), now);
    state.viaGrace = found.viaGrace;
    if (found.kind === "absent") {
      this.#reject(state, "unknown", now);
      return session;
    }
    if (found.kind === "tampered") {
      // Written or damaged by someone without the key (or undecodable): never believed, already deleted.
      this.#reject(state, "undecryptable", now);
      return session;
    }
    const record = found.record;
    const payload = found.payload;
    const sid = await publicId(ring, record.id);
    const expired = expiryReason(record, now);
    if (expired !== null) {
      await this.#o.store.delete(record.id);
      state.cookie = "clear";
      this.#emit("expired", now, sid, record.userId, { reason: expired, ...clientFields(client) });
      return session;
    }
    state.record = record;
    state.publicId = sid;
    state.presentedToken = state.viaGrace ? null : token;
    state.loaded = payload.d;
    state.csrf = payload.c ?? null;
    if (this.#o.binding !== null && (await this.#bindingBroken(state, record, now))) {
      await this.#o.store.delete(record.id);
      const fresh = emptyState(client);
      fresh.cookie = "clear";
      return new Session(fresh, this.#engine);
    }
    return session;
  }

  /**
   * Persists the request's changes (merged with concurrent writers, SPEC L11),
   * throttled activity, pending creation or rotation, and returns the headers
   * to send. Call once per request, before the response headers go out.
   */
  async commit(session: Session): Promise<ResponseFacts> {
    const state = sessionState(session);
    this.#decide(state, this.#o.clock());
    await this.#writes.save(state);
    return this.#responseFacts(state, this.#o.clock());
  }

  /**
   * The synchronous end of a request that needs no store I/O (the common
   * authenticated read: no change, activity inside the throttle window):
   * returns its response headers, or `null` when {@link commit} must run.
   * Adapters use it to finish such responses without a promise round.
   */
  commitIfIdle(session: Session): ResponseFacts | null {
    const state = sessionState(session);
    const now = this.#o.clock();
    this.#decide(state, now);
    collectMutations(state);
    const dirty = isDirty(state);
    const record = state.record;
    const io =
      record === null
        ? dirty && state.issuedToken !== null
        : state.rotate || dirty || isDue(record.lastSeenAt, this.#o.touchInterval, now);
    return io ? null : this.#responseFacts(state, now);
  }

  /**
   * The response headers the session needs, computed synchronously, for
   * adapters whose headers can leave before the body ends (streaming). It
   * fixes the token decisions; a later {@link commit} performs the writes.
   */
  prepare(session: Session): ResponseFacts {
    const now = this.#o.clock();
    const state = sessionState(session);
    this.#decide(state, now);
    return this.#responseFacts(state, now);
  }

  /** Decides periodic rotation and persistent-cookie refresh once per request. */
  #decide(state: SessionState, now: number): void {
    const record = state.record;
    if (record === null || state.viaGrace || state.decided) return;
    state.decided = true;
    if (
      this.#o.rotation !== null &&
      state.issuedToken === null &&
      isDue(record.meta.issuedAt ?? record.createdAt, this.#o.rotation.interval, now)
    ) {
      state.rotate = true;
      state.issuedToken = generateToken(this.#o.random);
      state.cookie = "set";
    } else if (
      this.#o.cookie.persistent &&
      state.cookie === "keep" &&
      isDue(record.lastSeenAt, this.#o.touchInterval, now)
    ) {
      state.refreshCookie = true;
    }
  }

  #responseFacts(state: SessionState, now: number): ResponseFacts {
    const setCookie: string[] = [];
    const headers: Array<[string, string]> = [...state.headers];
    if (state.cookie === "set" && state.issuedToken !== null) {
      setCookie.push(tokenCookie(this.#o.cookie, state.issuedToken, this.#cookieLifetime(state, now)));
    } else if (state.cookie === "clear") {
      setCookie.push(clearingCookie(this.#o.cookie));
    } else if (state.refreshCookie && state.record !== null && state.presentedToken !== null) {
      setCookie.push(tokenCookie(this.#o.cookie, state.presentedToken, this.#cookieLifetime(state, now)));
    }
    if (setCookie.length > 0) headers.push(["Cache-Control", 'no-store, no-cache="Set-Cookie"']);
    return { setCookie, headers };
  }

  /** Sessions of a user, newest first (SPEC L9). */
  async listSessions(userId: string): Promise<SessionInfo[]> {
    const now = this.#o.clock();
    const ring = await this.#o.keyRing();
    const records = (await this.#o.store.listByUser(userId)).filter(
      (r) => r.successor === undefined && expiryReason(r, now) === null,
    );
    const out: SessionInfo[] = [];
    for (const r of records) {
      // A row planted or altered without the key is not one of the user's sessions.
      if (r.userId !== userId || (await openRecord(ring, r.id, r)) === null) continue;
      out.push({
        id: await publicId(ring, r.id),
        createdAt: r.createdAt,
        authenticatedAt: r.authenticatedAt,
        lastSeenAt: r.lastSeenAt,
        expiresAt: r.expiresAt,
        ...(r.meta.ip === undefined ? {} : { ip: r.meta.ip }),
        ...(r.meta.userAgent === undefined ? {} : { userAgent: r.meta.userAgent }),
      });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Ends one session of a user by its public id (e.g. from a "your devices" page).
   * @returns `true` when a session was ended
   */
  async revokeSession(userId: string, sessionId: string, reason = "revoked"): Promise<boolean> {
    const ring = await this.#o.keyRing();
    for (const r of await this.#o.store.listByUser(userId)) {
      const sid = await publicId(ring, r.id);
      if (sid === sessionId) {
        await this.#o.store.delete(r.id);
        this.#emit("revoked", this.#o.clock(), sid, userId, { reason });
        return true;
      }
    }
    return false;
  }

  /**
   * Ends every session of a user on every device (SPEC L9): call it when the
   * password changes (with `except` set to the current session) or when the
   * account is disabled.
   * @returns how many sessions ended
   */
  async revokeUser(
    userId: string,
    options: { readonly except?: Session; readonly reason?: string } = {},
  ): Promise<number> {
    return this.#revokeAll(
      userId,
      options.except === undefined ? undefined : sessionState(options.except).record?.id,
      options.reason ?? "revoke-all",
    );
  }

  /** Ends a user's sessions except `exceptId`, with a `revoked` event for each (listing only when someone listens). */
  async #revokeAll(userId: string, exceptId: string | undefined, reason: string): Promise<number> {
    if (this.#events.wanted("revoked")) {
      const now = this.#o.clock();
      const ring = await this.#o.keyRing();
      for (const r of await this.#o.store.listByUser(userId)) {
        if (r.id !== exceptId && r.successor === undefined) {
          this.#emit("revoked", now, await publicId(ring, r.id), userId, { reason });
        }
      }
    }
    return this.#o.store.deleteByUser(userId, exceptId);
  }

  /** Closes the store (connections, sweep timers). */
  async close(): Promise<void> {
    await this.#o.store.close?.();
  }

  // ---- engine operations -------------------------------------------------

  #ensureToken(state: SessionState): void {
    if (state.record === null && state.issuedToken === null) {
      state.issuedToken = generateToken(this.#o.random);
      state.cookie = "set";
    }
  }

  async #logout(state: SessionState, reason: "logout" | "destroy"): Promise<void> {
    const record = state.record;
    const now = this.#o.clock();
    if (record !== null) {
      await this.#o.store.delete(record.id);
      if (reason === "logout") this.#emit("logout", now, state.publicId, record.userId, {});
      else this.#emit("revoked", now, state.publicId, record.userId, { reason: "destroy" });
    }
    const client = state.client;
    Object.assign(state, emptyState(client));
    state.cookie = "clear";
    if (this.#o.clearSiteData) state.headers.push(["Clear-Site-Data", '"cookies"']);
  }

  async #revokeOthers(state: SessionState, reason: string): Promise<number> {
    const record = state.record;
    if (record === null || record.userId === null) {
      throw new SessionError("ERR_SESSION_STATE", "revoking other sessions needs an authenticated session");
    }
    return this.#revokeAll(record.userId, record.id, reason);
  }

  #parseTimeouts(t: { idle?: Duration; absolute?: Duration }, state: SessionState): { idle: number; absolute: number } {
    const idle =
      t.idle === undefined ? (state.record?.idleTimeout ?? this.#o.idleTimeout) : parseDuration(t.idle, "idle");
    const absolute =
      t.absolute === undefined
        ? (state.record?.absoluteTimeout ?? this.#o.absoluteTimeout)
        : parseDuration(t.absolute, "absolute");
    if (idle > absolute)
      throw new SessionError("ERR_CONFIG", "the idle timeout must not be longer than the absolute timeout");
    return { idle, absolute };
  }

  // ---- helpers -------------------------------------------------------------

  #reject(state: SessionState, reason: string, now: number): void {
    state.cookie = "clear";
    if (this.#guard !== null && state.client.ip !== undefined) this.#guard.record(guessKey(state.client.ip));
    this.#emit("rejected", now, null, null, { reason, ...clientFields(state.client) });
  }

  async #bindingBroken(state: SessionState, record: SessionRecord, now: number): Promise<boolean> {
    const binding = this.#o.binding;
    if (binding === null) return false;
    const reasons: string[] = [];
    if (binding.userAgent && record.meta.userAgent !== undefined && state.client.userAgent !== record.meta.userAgent) {
      reasons.push("user-agent");
    }
    if (binding.ipNetwork && record.meta.ip !== undefined && state.client.ip !== undefined) {
      if (ipNetwork(record.meta.ip) !== ipNetwork(state.client.ip)) reasons.push("ip-network");
    }
    if (reasons.length === 0) return false;
    const reason = reasons.join(",");
    this.#emit("anomaly", now, state.publicId, record.userId, { reason, ...clientFields(state.client) });
    if (binding.action !== "revoke") return false;
    this.#emit("revoked", now, state.publicId, record.userId, { reason: `binding:${reason}` });
    return true;
  }

  #cookieLifetime(state: SessionState, now: number): number {
    const r = state.record;
    if (r !== null) return cookieLifetime(r, now);
    const idleTimeout = state.timeouts?.idle ?? this.#o.idleTimeout;
    const absoluteTimeout = state.timeouts?.absolute ?? this.#o.absoluteTimeout;
    return sessionDeadline({ createdAt: now, lastSeenAt: now, idleTimeout, absoluteTimeout }) - now;
  }

  #emit(
    type: SessionEventType,
    at: number,
    sid: string | null,
    userId: string | null,
    extra: Partial<Pick<SessionEvent, "reason" | "previousSid" | "ip" | "userAgent">>,
  ): void {
    if (!this.#events.wanted(type)) return;
    this.#events.emit({ type, at, sid, userId, ...extra });
  }
}

function clientFacts(request: RequestFacts): SessionState["client"] {
  const out: { ip?: string; userAgent?: string } = {};
  if (typeof request.ip === "string" && request.ip !== "") out.ip = request.ip;
  if (typeof request.userAgent === "string" && request.userAgent !== "") {
    out.userAgent = request.userAgent.slice(0, USER_AGENT_MAX);
  }
  return out;
}

/** IPv4 addresses count one by one; an IPv6 client owns a whole /64, so it counts as one. */
function guessKey(ip: string): string {
  return ipNetwork(ip, 32, 64) ?? ip;
}
