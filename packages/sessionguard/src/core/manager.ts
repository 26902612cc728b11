import { parse as parseCookies } from "cookie";
import { clearingCookie, tokenCookie } from "./cookie.js";
import { checkRequestOrigin, type HeaderReader, type OriginCheck } from "./csrf.js";
import { type Duration, parseDuration } from "./duration.js";
import { toBase64Url, utf8 } from "./encoding.js";
import { SessionError } from "./errors.js";
import { type SessionEvent, type SessionEventListener, SessionEvents, type SessionEventType } from "./events.js";
import { GuessGuard } from "./guess-guard.js";
import { ipNetwork } from "./ip-network.js";
import type { LoadedKeyRing } from "./key-ring.js";
import { KeyedMutex } from "./lib/keyed-mutex.js";
import { applyChanges, collectMutations, currentData, emptyState, type SessionState } from "./lib/session-state.js";
import { type ResolvedOptions, resolveOptions, type SessionManagerOptions } from "./options.js";
import { open, seal } from "./seal.js";
import { type RegenerateOptions, Session, type SessionEngine } from "./session.js";
import type { SessionMeta, SessionRecord } from "./store.js";
import { generateToken, hashToken, isWellFormedToken } from "./token.js";

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

const MAX_WRITE_ATTEMPTS = 25;
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
  readonly #mutex = new KeyedMutex();
  readonly #engine: SessionEngine;
  readonly #guard: GuessGuard | null;

  /**
   * Validates every option now (SPEC L15).
   * @throws SessionError `ERR_CONFIG`, `ERR_WEAK_KEY` or `ERR_INSECURE_COOKIE` with a message that says what to change
   */
  constructor(options: SessionManagerOptions) {
    this.#o = resolveOptions(options);
    this.#guard = this.#o.guessingLimit === null ? null : new GuessGuard(this.#o.guessingLimit, this.#o.clock);
    this.#engine = {
      login: (s, userId, opts) => this.#login(s, userId, opts),
      regenerate: (s, opts) => this.#regenerate(s, opts),
      logout: (s, reason) => this.#logout(s, reason),
      save: (s) => this.#save(s),
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
    const token = readCookie(request.cookieHeader, this.#o.cookie.name);
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
    const id = await storeKey(ring, token);
    let record = await this.#o.store.get(id);
    if (record !== null && record.successor !== undefined) {
      state.viaGrace = true;
      record = record.expiresAt > now ? await this.#o.store.get(record.successor) : null;
    }
    if (record === null) {
      this.#reject(state, "unknown", now);
      return session;
    }
    const publicId = await this.#publicId(ring, record.id);
    const expired = expiryReason(record, now);
    if (expired !== null) {
      await this.#o.store.delete(record.id);
      state.cookie = "clear";
      this.#emit("expired", now, publicId, record.userId, { reason: expired });
      return session;
    }
    const payload = await this.#unseal(ring, record);
    if (payload === null) {
      await this.#o.store.delete(record.id);
      this.#reject(state, "undecryptable", now);
      return session;
    }
    state.record = record;
    state.publicId = publicId;
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
    const state = session.state;
    this.#decide(state, this.#o.clock());
    await this.#save(state);
    return this.#responseFacts(state, this.#o.clock());
  }

  /**
   * The synchronous end of a request that needs no store I/O (the common
   * authenticated read: no change, activity inside the throttle window):
   * returns its response headers, or `null` when {@link commit} must run.
   * Adapters use it to finish such responses without a promise round.
   */
  commitIfIdle(session: Session): ResponseFacts | null {
    const state = session.state;
    const now = this.#o.clock();
    this.#decide(state, now);
    collectMutations(state);
    const dirty = state.changes.size > 0 || state.forceWrite || state.csrfChanged;
    const record = state.record;
    const io =
      record === null
        ? dirty && state.issuedToken !== null
        : state.rotate || dirty || now - record.lastSeenAt >= this.#o.touchInterval;
    return io ? null : this.#responseFacts(state, now);
  }

  /**
   * The response headers the session needs, computed synchronously, for
   * adapters whose headers can leave before the body ends (streaming). It
   * fixes the token decisions; a later {@link commit} performs the writes.
   */
  prepare(session: Session): ResponseFacts {
    const now = this.#o.clock();
    this.#decide(session.state, now);
    return this.#responseFacts(session.state, now);
  }

  /** Decides periodic rotation and persistent-cookie refresh once per request. */
  #decide(state: SessionState, now: number): void {
    const record = state.record;
    if (record === null || state.viaGrace || state.decided) return;
    state.decided = true;
    if (
      this.#o.rotation !== null &&
      state.issuedToken === null &&
      now - (record.meta.issuedAt ?? record.createdAt) >= this.#o.rotation.interval
    ) {
      state.rotate = true;
      state.issuedToken = generateToken(this.#o.random);
      state.cookie = "set";
    } else if (
      this.#o.cookie.persistent &&
      state.cookie === "keep" &&
      now - record.lastSeenAt >= this.#o.touchInterval
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
      out.push({
        id: await this.#publicId(ring, r.id),
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
      const publicId = await this.#publicId(ring, r.id);
      if (publicId === sessionId) {
        await this.#o.store.delete(r.id);
        this.#emit("revoked", this.#o.clock(), publicId, userId, { reason });
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
    return this.#revokeAll(userId, options.except?.state.record?.id, options.reason ?? "revoke-all");
  }

  /** Ends a user's sessions except `exceptId`, with a `revoked` event for each (listing only when someone listens). */
  async #revokeAll(userId: string, exceptId: string | undefined, reason: string): Promise<number> {
    if (this.#events.wanted("revoked")) {
      const now = this.#o.clock();
      const ring = await this.#o.keyRing();
      for (const r of await this.#o.store.listByUser(userId)) {
        if (r.id !== exceptId && r.successor === undefined) {
          this.#emit("revoked", now, await this.#publicId(ring, r.id), userId, { reason });
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

  async #login(state: SessionState, userId: string, options: RegenerateOptions): Promise<void> {
    await this.#replace(state, userId, options, "authenticated");
  }

  async #regenerate(state: SessionState, options: RegenerateOptions): Promise<void> {
    await this.#replace(state, state.record?.userId ?? null, options, "rotated");
  }

  /** Issues a new token and record; the old record is deleted at once (no grace: fixation). */
  async #replace(
    state: SessionState,
    userId: string | null,
    options: RegenerateOptions,
    event: "authenticated" | "rotated",
  ): Promise<void> {
    const now = this.#o.clock();
    const ring = await this.#o.keyRing();
    const old = state.record;
    const keep = options.keep ?? [];
    const data = currentData(state);
    const kept =
      keep === "all" ? { ...data } : Object.fromEntries(keep.filter((k) => k in data).map((k) => [k, data[k]]));
    const authenticating = event === "authenticated";
    const token = generateToken(this.#o.random);
    const id = await storeKey(ring, token);
    const idle = state.timeouts?.idle ?? (authenticating || old === null ? this.#o.idleTimeout : old.idleTimeout);
    const absolute =
      state.timeouts?.absolute ?? (authenticating || old === null ? this.#o.absoluteTimeout : old.absoluteTimeout);
    const createdAt = authenticating || old === null ? now : old.createdAt;
    const csrf = authenticating ? null : state.csrf;
    const record: SessionRecord = {
      id,
      userId,
      createdAt,
      authenticatedAt: authenticating ? now : (old?.authenticatedAt ?? null),
      lastSeenAt: now,
      idleTimeout: idle,
      absoluteTimeout: absolute,
      expiresAt: Math.min(now + idle, createdAt + absolute),
      version: 1,
      data: await this.#sealPayload(ring, id, kept, csrf),
      meta: this.#meta(state, now),
    };
    if (old !== null && !authenticating && (await this.#o.store.get(old.id)) === null) {
      // Revoked since this request loaded it: a privilege change must not bring it back.
      this.#lost(state);
      throw new SessionError("ERR_SESSION_STATE", "the session ended while this request was running; sign in again");
    }
    if (old !== null && authenticating && old.userId === userId) await this.#o.store.delete(old.id);
    const result = await this.#o.store.create(
      record,
      userId !== null && this.#o.limit !== null ? this.#o.limit : undefined,
    );
    if (result.outcome === "rejected") {
      throw new SessionError(
        "ERR_SESSION_LIMIT",
        "this user already has the maximum number of sessions; sign out elsewhere or raise maxSessionsPerUser",
      );
    }
    if (old !== null) await this.#o.store.delete(old.id);
    const previousSid = state.publicId;
    Object.assign(state, {
      record,
      publicId: await this.#publicId(ring, id),
      presentedToken: null,
      issuedToken: token,
      loaded: kept,
      changes: new Map(),
      reads: new Map(),
      csrf,
      csrfChanged: false,
      timeouts: null,
      forceWrite: false,
      cookie: "set",
      rotate: false,
      decided: true,
      refreshCookie: false,
      viaGrace: false,
    } satisfies Partial<SessionState>);
    this.#emit(event, now, state.publicId, userId, previousSid === null ? {} : { previousSid });
    if (old === null || event === "authenticated") this.#emit("created", now, state.publicId, userId, {});
    for (const evicted of result.evicted) {
      this.#emit("revoked", now, await this.#publicId(ring, evicted), userId, { reason: "session-limit" });
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

  /** Writes whatever the request changed; the single write path of a request. */
  async #save(state: SessionState): Promise<void> {
    const now = this.#o.clock();
    const ring = await this.#o.keyRing();
    collectMutations(state);
    const dirty = state.changes.size > 0 || state.forceWrite || state.csrfChanged;
    if (state.record === null) {
      if (!dirty || state.issuedToken === null) return;
      await this.#createAnonymous(state, ring, now);
    } else if (state.rotate) {
      await this.#rotateWithGrace(state, ring, now);
    } else if (dirty) {
      await this.#mutex.run(state.record.id, () => this.#writeMerged(state, ring, now));
    } else if (now - state.record.lastSeenAt >= this.#o.touchInterval) {
      await this.#touch(state, now);
    }
    state.changes = new Map();
    state.forceWrite = false;
    state.csrfChanged = false;
  }

  async #createAnonymous(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    const token = state.issuedToken as string;
    const id = await storeKey(ring, token);
    const idle = state.timeouts?.idle ?? this.#o.idleTimeout;
    const absolute = state.timeouts?.absolute ?? this.#o.absoluteTimeout;
    const data = currentData(state);
    const record: SessionRecord = {
      id,
      userId: null,
      createdAt: now,
      authenticatedAt: null,
      lastSeenAt: now,
      idleTimeout: idle,
      absoluteTimeout: absolute,
      expiresAt: Math.min(now + idle, now + absolute),
      version: 1,
      data: await this.#sealPayload(ring, id, data, state.csrf),
      meta: this.#meta(state, now),
    };
    await this.#o.store.create(record);
    state.record = record;
    state.loaded = data;
    state.publicId = await this.#publicId(ring, id);
    this.#emit("created", now, state.publicId, null, {});
  }

  /** Versioned write of this request's change set on top of the latest stored data (SPEC L11). */
  async #writeMerged(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    let base = state.record as SessionRecord;
    let baseData = state.loaded;
    let baseCsrf = state.csrf;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        const current = await this.#current(ring, base.id, now);
        if (current === null) {
          // Revoked or expired meanwhile: never resurrect it with this request's writes.
          this.#lost(state);
          return;
        }
        if (current.record.id !== base.id) this.#adopt(state, current);
        base = current.record;
        baseData = current.payload.d;
        baseCsrf = current.payload.c ?? null;
      }
      const merged = applyChanges(baseData, state.changes);
      const csrf = state.csrfChanged ? state.csrf : baseCsrf;
      const idle = state.timeouts?.idle ?? base.idleTimeout;
      const absolute = state.timeouts?.absolute ?? base.absoluteTimeout;
      const next: SessionRecord = {
        ...base,
        lastSeenAt: now,
        idleTimeout: idle,
        absoluteTimeout: absolute,
        expiresAt: Math.min(now + idle, base.createdAt + absolute),
        version: base.version + 1,
        data: await this.#sealPayload(ring, base.id, merged, csrf),
      };
      if (await this.#o.store.update(next, base.version)) {
        state.record = next;
        state.loaded = merged;
        state.csrf = csrf;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * (attempt + 1)));
    }
    throw new SessionError(
      "ERR_STORE_CONFLICT",
      "the session kept changing under concurrent writes; retry the request",
    );
  }

  async #touch(state: SessionState, now: number): Promise<void> {
    const base = state.record as SessionRecord;
    const next: SessionRecord = {
      ...base,
      lastSeenAt: now,
      expiresAt: Math.min(now + base.idleTimeout, base.createdAt + base.absoluteTimeout),
      version: base.version + 1,
    };
    // A lost race means another request just wrote the session, activity included.
    if (await this.#o.store.update(next, base.version)) {
      state.record = next;
      this.#emit("refreshed", now, state.publicId, base.userId, {});
    }
  }

  /**
   * Periodic rotation with a grace period. The successor is created first and
   * then the old record is claimed with a versioned write that turns it into
   * the alias; a lost race (the old record was written, rotated or revoked
   * meanwhile) deletes the successor again, so a revoked session is never
   * resurrected and parallel requests never split one session into two.
   */
  async #rotateWithGrace(state: SessionState, ring: LoadedKeyRing, now: number): Promise<void> {
    const old = state.record as SessionRecord;
    const token = state.issuedToken as string;
    const id = await storeKey(ring, token);
    const data = currentData(state);
    const idle = state.timeouts?.idle ?? old.idleTimeout;
    const absolute = state.timeouts?.absolute ?? old.absoluteTimeout;
    const record: SessionRecord = {
      ...old,
      id,
      lastSeenAt: now,
      idleTimeout: idle,
      absoluteTimeout: absolute,
      expiresAt: Math.min(now + idle, old.createdAt + absolute),
      version: 1,
      data: await this.#sealPayload(ring, id, data, state.csrf),
      meta: { ...old.meta, issuedAt: now },
    };
    await this.#o.store.create(record);
    const grace = (this.#o.rotation as { grace: number }).grace;
    // The alias has no user: it must not count toward the per-user limit or appear in listings.
    const alias: SessionRecord = {
      ...old,
      userId: null,
      data: "",
      version: old.version + 1,
      expiresAt: Math.min(now + grace, old.expiresAt),
      successor: id,
    };
    if (await this.#o.store.update(alias, old.version)) {
      const previousSid = state.publicId;
      state.record = record;
      state.loaded = data;
      state.changes = new Map();
      state.publicId = await this.#publicId(ring, id);
      state.rotate = false;
      this.#emit("rotated", now, state.publicId, record.userId, previousSid === null ? {} : { previousSid });
      return;
    }
    await this.#o.store.delete(id);
    state.rotate = false;
    state.issuedToken = null;
    state.cookie = "keep";
    const current = await this.#current(ring, old.id, now);
    if (current === null) {
      this.#lost(state);
      return;
    }
    // Another request rotated (follow its successor) or wrote (rotate next time); keep this request's changes.
    if (current.record.id !== old.id) this.#adopt(state, current);
    if (state.changes.size > 0 || state.forceWrite || state.csrfChanged) {
      await this.#mutex.run(state.record?.id ?? old.id, () => this.#writeMerged(state, ring, now));
    }
  }

  /** The live record behind `id`, following one rotation alias, with its data; `null` when gone or expired. */
  async #current(
    ring: LoadedKeyRing,
    id: string,
    now: number,
  ): Promise<{ record: SessionRecord; payload: { d: Record<string, unknown>; c?: string } } | null> {
    let record = await this.#o.store.get(id);
    if (record?.successor !== undefined)
      record = record.expiresAt > now ? await this.#o.store.get(record.successor) : null;
    if (record === null || record.successor !== undefined || expiryReason(record, now) !== null) return null;
    const payload = await this.#unseal(ring, record);
    return payload === null ? null : { record, payload };
  }

  /**
   * This request continues on a successor another request created: its data
   * becomes the merge base, and its token stays the client's old one.
   */
  #adopt(
    state: SessionState,
    current: { record: SessionRecord; payload: { d: Record<string, unknown>; c?: string } },
  ): void {
    state.record = current.record;
    state.loaded = current.payload.d;
    if (!state.csrfChanged) state.csrf = current.payload.c ?? null;
    state.presentedToken = null;
    state.viaGrace = true;
  }

  /** The session was revoked or expired under this request: drop its writes and clear the cookie. */
  #lost(state: SessionState): void {
    Object.assign(state, emptyState(state.client));
    state.cookie = "clear";
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
    if (r === null) {
      const idle = state.timeouts?.idle ?? this.#o.idleTimeout;
      const absolute = state.timeouts?.absolute ?? this.#o.absoluteTimeout;
      return Math.min(idle, absolute);
    }
    const idleDeadline = Math.max(now, r.lastSeenAt) + r.idleTimeout;
    return Math.min(idleDeadline, r.createdAt + r.absoluteTimeout) - now;
  }

  #meta(state: SessionState, now: number): SessionMeta {
    return { ...clientFields(state.client), issuedAt: now };
  }

  async #sealPayload(
    ring: LoadedKeyRing,
    id: string,
    data: Record<string, unknown>,
    csrf: string | null,
  ): Promise<string> {
    if (Object.keys(data).length === 0 && csrf === null) return "";
    const json = JSON.stringify(csrf === null ? { d: data } : { d: data, c: csrf });
    if (utf8(json).length > this.#o.maxDataBytes) {
      throw new SessionError("ERR_DATA", `session data exceeds maxDataBytes (${this.#o.maxDataBytes} bytes)`);
    }
    return seal(ring, json, `sessionguard:v1:${id}`);
  }

  async #unseal(
    ring: LoadedKeyRing,
    record: SessionRecord,
  ): Promise<{ d: Record<string, unknown>; c?: string } | null> {
    if (record.data === "") return { d: {} };
    const json = await open(ring, record.data, `sessionguard:v1:${record.id}`);
    if (json === null) return null;
    try {
      const parsed = JSON.parse(json) as { d?: unknown; c?: unknown };
      if (parsed.d === null || typeof parsed.d !== "object") return null;
      return typeof parsed.c === "string"
        ? { d: parsed.d as Record<string, unknown>, c: parsed.c }
        : { d: parsed.d as Record<string, unknown> };
    } catch {
      return null;
    }
  }

  async #publicId(ring: LoadedKeyRing, recordId: string): Promise<string> {
    if (ring.native !== null) return ring.native.sha256Base64Url(ring.eventSalt, recordId).slice(0, 22);
    const id = utf8(recordId);
    const input = new Uint8Array(ring.eventSalt.length + id.length);
    input.set(ring.eventSalt, 0);
    input.set(id, ring.eventSalt.length);
    return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", input))).slice(0, 22);
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

/** The store key of a token (SHA-256, base64url): synchronous where `node:crypto` exists, same result as {@link hashToken}. */
async function storeKey(ring: LoadedKeyRing, token: string): Promise<string> {
  return ring.native !== null ? ring.native.sha256Base64Url(token) : hashToken(token);
}

function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (typeof header !== "string" || header.length === 0) return undefined;
  const value = parseCookies(header)[name];
  return value === undefined || value === "" ? undefined : value;
}

function clientFacts(request: RequestFacts): SessionState["client"] {
  const out: { ip?: string; userAgent?: string } = {};
  if (typeof request.ip === "string" && request.ip !== "") out.ip = request.ip;
  if (typeof request.userAgent === "string" && request.userAgent !== "") {
    out.userAgent = request.userAgent.slice(0, USER_AGENT_MAX);
  }
  return out;
}

function clientFields(client: SessionState["client"]): { ip?: string; userAgent?: string } {
  return {
    ...(client.ip === undefined ? {} : { ip: client.ip }),
    ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent }),
  };
}

/** IPv4 addresses count one by one; an IPv6 client owns a whole /64, so it counts as one. */
function guessKey(ip: string): string {
  return ipNetwork(ip, 32, 64) ?? ip;
}

function expiryReason(record: SessionRecord, now: number): "idle" | "absolute" | null {
  if (now >= record.createdAt + record.absoluteTimeout) return "absolute";
  if (now >= record.lastSeenAt + record.idleTimeout) return "idle";
  return null;
}
