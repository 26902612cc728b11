/**
 * How long a store keeps answering {@link SessionStore.get} for a record
 * after its `expiresAt`, in milliseconds (one hour). It lets the manager tell
 * a token whose session timed out (`expired` event) from one it never issued
 * (`rejected`); the manager never accepts such a record (SPEC L5), and every
 * other store operation treats it as gone at `expiresAt`.
 */
export const EXPIRED_RETENTION = 60 * 60_000;

/**
 * One stored session. Times are milliseconds since the Unix epoch.
 *
 * The record never holds the token: `id` is SHA-256 of the token (SPEC L2)
 * and `data` is an AES-256-GCM envelope (SPEC L3), or `""` when the session
 * holds no application data.
 */
export interface SessionRecord {
  /** SHA-256 of the token, base64url (43 characters). Primary key. */
  readonly id: string;
  /** The authenticated user, or `null` for an anonymous session. Indexed. */
  readonly userId: string | null;
  /** When this session (or, after login, the authenticated session) began. */
  readonly createdAt: number;
  /** When the user last authenticated in this session, or `null`. */
  readonly authenticatedAt: number | null;
  /** Last recorded activity (throttled: not every request writes it). */
  readonly lastSeenAt: number;
  /** Idle timeout of this session in milliseconds. */
  readonly idleTimeout: number;
  /** Absolute timeout of this session in milliseconds, counted from `createdAt`. */
  readonly absoluteTimeout: number;
  /**
   * The moment the record stops being valid: `min(lastSeenAt + idleTimeout,
   * createdAt + absoluteTimeout)`, or the end of a rotation grace period.
   * Stores may delete the record from then on (TTL, sweep).
   */
  readonly expiresAt: number;
  /** Optimistic-concurrency version: 1 on create, +1 on every update. */
  readonly version: number;
  /** Sealed application data, or `""`. */
  readonly data: string;
  /** Client facts for session listings and binding checks. */
  readonly meta: SessionMeta;
  /**
   * Set on a token that was rotated out with a grace period (SPEC L6): the
   * record is an alias of `successor` until `expiresAt` and holds no data.
   */
  readonly successor?: string;
}

/** Client facts recorded with a session. */
export interface SessionMeta {
  /** Client IP address at creation or last binding update. */
  readonly ip?: string;
  /** User-Agent at creation or last binding update (truncated to 256 characters). */
  readonly userAgent?: string;
  /** When the current token was issued (ms since epoch); drives periodic rotation. */
  readonly issuedAt?: number;
}

/** What to do when a user already has the maximum number of sessions (SPEC L10). */
export type SessionLimitPolicy = "evict-oldest" | "reject";

/** A per-user session limit applied atomically by {@link SessionStore.create}. */
export interface SessionLimit {
  /** Maximum sessions per user, counting the one being created. */
  readonly max: number;
  /** `evict-oldest` removes the sessions with the oldest `createdAt`; `reject` refuses the new one. */
  readonly policy: SessionLimitPolicy;
}

/** Result of {@link SessionStore.create}. */
export interface CreateResult {
  /** `created`, or `rejected` when the `reject` limit policy refused it (nothing was written). */
  readonly outcome: "created" | "rejected";
  /** Ids of sessions removed by the `evict-oldest` policy. */
  readonly evicted: readonly string[];
}

/**
 * The storage contract every store implements and the conformance suite
 * checks (`sessionguard/testing`). All methods are async and may throw
 * `SessionError` with code `ERR_STORE_UNAVAILABLE` when the backend fails;
 * they must never return a partial result instead.
 *
 * Stores keep records opaque: they index `id` and `userId`, honour
 * `expiresAt` for cleanup and `version` for updates, and never interpret
 * `data`. "Live" means `expiresAt` is after the store's clock: every store
 * takes a `clock` option (default `Date.now`) and filters on `expiresAt`
 * itself rather than relying only on server-side TTLs, so the conformance
 * suite can drive time. The manager re-checks every deadline as well.
 * Expired records stay readable by `get` (only) for {@link EXPIRED_RETENTION}
 * after `expiresAt`, then disappear.
 * Rotation aliases (records with `successor`) are written with
 * `userId: null`, so they never count toward a per-user limit.
 */
export interface SessionStore {
  /**
   * Reads one record by id: a live record, or an expired one for
   * {@link EXPIRED_RETENTION} after its `expiresAt` (the manager decides);
   * `null` when absent or expired longer ago. One round trip.
   * Throws `ERR_STORE_CORRUPT` when a record is stored under `id` but cannot
   * be decoded; the manager then deletes it like a tampered record. Stores
   * need not check field types: the manager authenticates every field.
   */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Inserts a new record (version 1). With `limit` and a non-null `userId`,
   * counting the user's live sessions, evicting or rejecting and inserting
   * happen atomically with respect to other `create` calls for the same user.
   * Throws `ERR_STORE_CONFLICT` if the id already exists.
   */
  create(record: SessionRecord, limit?: SessionLimit): Promise<CreateResult>;
  /**
   * Versioned write: replaces the record only if the stored version equals
   * `expectedVersion`, and the new record's `version` must be
   * `expectedVersion + 1`. Returns `false` (writing nothing) on a version
   * mismatch or when the record no longer exists or has expired.
   */
  update(record: SessionRecord, expectedVersion: number): Promise<boolean>;
  /** Deletes one record; deleting an absent id is not an error. */
  delete(id: string): Promise<void>;
  /** Live records of a user (any order). */
  listByUser(userId: string): Promise<SessionRecord[]>;
  /** Deletes every record of a user except `exceptId`; returns how many were deleted. */
  deleteByUser(userId: string, exceptId?: string): Promise<number>;
  /**
   * Removes records whose `expiresAt` is at or before `now - EXPIRED_RETENTION`
   * (see {@link EXPIRED_RETENTION}); returns how many. Optional for TTL stores.
   */
  sweep?(now: number): Promise<number>;
  /** Releases connections and timers. */
  close?(): Promise<void>;
}
