import { randomBytes } from "node:crypto";

/** One server-side session of the flawed app. */
export interface SessionRecord {
  readonly id: string;
  /** Signed-in user, `null` while anonymous. */
  user: string | null;
  /** Login form token, bound to this session. */
  readonly csrf: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Epoch milliseconds of the last request that used the session. */
  lastSeenAt: number;
  /** Epoch milliseconds of the login, 0 while anonymous. */
  authenticatedAt: number;
  /** True when the id was chosen by the client (the `id-adoption` flaw), not minted by the server. */
  readonly adopted: boolean;
}

/** Options of {@link SessionTable}. */
export interface SessionTableOptions {
  /** Idle timeout in milliseconds, `null` for none (the `idle-timeout` flaw). */
  readonly idleMs: number | null;
  /** Absolute timeout in milliseconds, `null` for none (the `absolute-timeout` flaw). */
  readonly absoluteMs: number | null;
  /** Most sessions kept; the oldest is dropped beyond it. Default 50 000. */
  readonly capacity?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The legacy app's in-memory session table with a per-user index. Bounded
 * (oldest first out) and swept, so that sampling 20 000 anonymous sessions,
 * or a run with both timeouts planted away, cannot exhaust memory.
 */
export class SessionTable {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #byUser = new Map<string, Set<string>>();
  readonly #idleMs: number | null;
  readonly #absoluteMs: number | null;
  readonly #capacity: number;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(options: SessionTableOptions) {
    this.#idleMs = options.idleMs;
    this.#absoluteMs = options.absoluteMs;
    this.#capacity = options.capacity ?? 50_000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of stored sessions (live or not yet swept). */
  get size(): number {
    return this.#sessions.size;
  }

  /** The live session with this id, without counting the lookup as activity. */
  peek(id: string): SessionRecord | undefined {
    const record = this.#sessions.get(id);
    if (record === undefined) return undefined;
    if (this.#expired(record, this.#now())) {
      this.delete(id);
      return undefined;
    }
    return record;
  }

  /** The live session with this id; the lookup counts as activity (idle timer restarts). */
  use(id: string): SessionRecord | undefined {
    const record = this.peek(id);
    if (record !== undefined) record.lastSeenAt = this.#now();
    return record;
  }

  /**
   * Stores a new anonymous session under `id` (replacing any record with that
   * id); `adopted` marks an id the client chose.
   */
  create(id: string, origin: "minted" | "adopted" = "minted"): SessionRecord {
    this.delete(id);
    if (this.#sessions.size >= this.#capacity) this.#makeRoom();
    const now = this.#now();
    const record: SessionRecord = {
      id,
      user: null,
      csrf: randomBytes(32).toString("base64url"),
      createdAt: now,
      lastSeenAt: now,
      authenticatedAt: 0,
      adopted: origin === "adopted",
    };
    this.#sessions.set(id, record);
    return record;
  }

  /** Marks a session as signed in by `user`. */
  authenticate(record: SessionRecord, user: string): void {
    if (record.user !== null) this.#byUser.get(record.user)?.delete(record.id);
    record.user = user;
    record.authenticatedAt = this.#now();
    const ids = this.#byUser.get(user) ?? new Set<string>();
    ids.add(record.id);
    this.#byUser.set(user, ids);
  }

  /** Removes a session. */
  delete(id: string): void {
    const record = this.#sessions.get(id);
    if (record === undefined) return;
    this.#sessions.delete(id);
    if (record.user !== null) {
      const ids = this.#byUser.get(record.user);
      ids?.delete(id);
      if (ids?.size === 0) this.#byUser.delete(record.user);
    }
  }

  /** The user's live sessions, oldest login first. */
  sessionsOf(user: string): SessionRecord[] {
    const live: SessionRecord[] = [];
    for (const id of [...(this.#byUser.get(user) ?? [])]) {
      const record = this.peek(id);
      if (record !== undefined) live.push(record);
    }
    return live.sort((a, b) => a.authenticatedAt - b.authenticatedAt);
  }

  /** Removes every session of `user` except the one with id `keep`. */
  revokeOthers(user: string, keep: string): void {
    for (const record of this.sessionsOf(user)) if (record.id !== keep) this.delete(record.id);
  }

  /** Keeps the user's newest `max` sessions and removes the older ones. */
  limit(user: string, max: number): void {
    const live = this.sessionsOf(user);
    for (const record of live.slice(0, Math.max(0, live.length - max))) this.delete(record.id);
  }

  /** Removes every expired session. */
  sweep(): void {
    const now = this.#now();
    this.#lastSweep = now;
    for (const record of [...this.#sessions.values()]) if (this.#expired(record, now)) this.delete(record.id);
  }

  #expired(record: SessionRecord, now: number): boolean {
    if (this.#idleMs !== null && now - record.lastSeenAt > this.#idleMs) return true;
    return this.#absoluteMs !== null && now - record.createdAt > this.#absoluteMs;
  }

  #makeRoom(): void {
    // A full sweep is O(n): at most once a second, so a flood of new sessions stays O(1) each.
    if (this.#now() - this.#lastSweep > 1000) this.sweep();
    // Map iteration follows insertion order, so the first keys are the oldest sessions.
    for (const id of this.#sessions.keys()) {
      if (this.#sessions.size < this.#capacity) break;
      this.delete(id);
    }
  }
}
