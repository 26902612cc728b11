import { type Clock, systemClock } from "../core/clock.js";
import { isRetained } from "../core/deadlines.js";
import { SessionError } from "../core/errors.js";
import {
  type CreateResult,
  EXPIRED_RETENTION,
  type SessionLimit,
  type SessionRecord,
  type SessionStore,
} from "../core/store.js";
import { startSweepTimer } from "./lib/sweep-timer.js";
import { validateClock, validateLimit, validateNextVersion, validateSweepInterval } from "./lib/validate.js";

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most records held at once, live or not yet swept. When a `create` finds
   * the store full it first drops expired records, then evicts the record
   * that expires soonest (whichever user it belongs to). Default `10_000`.
   */
  readonly maxSessions?: number;
  /** Milliseconds between background sweeps of expired records; `0` disables them. Default `60_000`. */
  readonly sweepInterval?: number;
  /** Time source for expiry decisions. Default {@link systemClock}. */
  readonly clock?: Clock;
}

/**
 * An in-process session store for tests and development: records live in
 * this process only and vanish on restart, so it cannot serve more than one
 * server process.
 */
export interface MemoryStore extends SessionStore {
  /** Number of records held, including expired records that were not swept yet. */
  readonly size: number;
  /** Removes records whose `expiresAt` is at or before `now - EXPIRED_RETENTION` (ms since the epoch); returns how many. */
  sweep(now: number): Promise<number>;
  /** Stops the sweep timer and drops every record. Idempotent. */
  close(): Promise<void>;
}

const STORE = "memoryStore";

/**
 * Creates a bounded in-memory {@link SessionStore}.
 *
 * Every operation completes synchronously inside its promise, so a
 * limited `create` (count, evict or reject, insert) is atomic with respect
 * to every other call. Records are frozen copies: neither the object passed
 * in nor the object returned can change what is stored.
 *
 * @throws SessionError `ERR_CONFIG` when an option is invalid
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxSessions = options.maxSessions ?? 10_000;
  if (!Number.isInteger(maxSessions) || maxSessions < 1) {
    throw new SessionError("ERR_CONFIG", `${STORE}: maxSessions must be a positive integer (default 10000)`);
  }
  const sweepInterval = validateSweepInterval(options.sweepInterval ?? 60_000, STORE);
  const clock = validateClock(options.clock ?? systemClock, STORE);

  const records = new Map<string, SessionRecord>();
  const byUser = new Map<string, Set<string>>();

  const index = (record: SessionRecord): void => {
    if (record.userId === null) return;
    let ids = byUser.get(record.userId);
    if (ids === undefined) {
      ids = new Set();
      byUser.set(record.userId, ids);
    }
    ids.add(record.id);
  };

  const unindex = (record: SessionRecord): void => {
    if (record.userId === null) return;
    const ids = byUser.get(record.userId);
    if (ids === undefined) return;
    ids.delete(record.id);
    // Empty sets would otherwise accumulate one entry per user ever seen.
    if (ids.size === 0) byUser.delete(record.userId);
  };

  const remove = (id: string): boolean => {
    const record = records.get(id);
    if (record === undefined) return false;
    records.delete(id);
    unindex(record);
    return true;
  };

  const sweepNow = (now: number): number => {
    let removed = 0;
    for (const [id, record] of records) {
      if (!isRetained(record.expiresAt, EXPIRED_RETENTION, now) && remove(id)) removed++;
    }
    return removed;
  };

  const liveOfUser = (userId: string, now: number): SessionRecord[] => {
    const live: SessionRecord[] = [];
    for (const id of byUser.get(userId) ?? []) {
      const record = records.get(id);
      if (record !== undefined && record.expiresAt > now) live.push(record);
    }
    return live;
  };

  const makeRoom = (now: number): void => {
    if (records.size < maxSessions) return;
    if (sweepNow(now) > 0) return;
    // Linear scan: it only runs when the store is full of live records, and a
    // heap keyed on expiresAt would have to be re-keyed on every update.
    let soonest: SessionRecord | undefined;
    for (const record of records.values()) {
      if (soonest === undefined || record.expiresAt < soonest.expiresAt) soonest = record;
    }
    if (soonest !== undefined) remove(soonest.id);
  };

  const applyLimit = (record: SessionRecord, limit: SessionLimit, now: number): CreateResult | string[] => {
    if (record.userId === null) return [];
    const live = liveOfUser(record.userId, now);
    const excess = live.length - limit.max + 1;
    if (excess <= 0) return [];
    if (limit.policy === "reject") return { outcome: "rejected", evicted: [] };
    live.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const evicted = live.slice(0, excess).map((r) => r.id);
    for (const id of evicted) remove(id);
    return evicted;
  };

  const stopTimer = startSweepTimer(sweepInterval, async () => sweepNow(clock()));

  return {
    get size(): number {
      return records.size;
    },

    async get(id) {
      const record = records.get(id);
      return record !== undefined && isRetained(record.expiresAt, EXPIRED_RETENTION, clock()) ? record : null;
    },

    async create(record, limit) {
      if (limit !== undefined) validateLimit(limit);
      if (records.has(record.id)) {
        throw new SessionError("ERR_STORE_CONFLICT", "the memory session store already holds a session with this id");
      }
      const now = clock();
      const stored = frozenCopy(record);
      let evicted: string[] = [];
      if (limit !== undefined) {
        const outcome = applyLimit(stored, limit, now);
        if (!Array.isArray(outcome)) return outcome;
        evicted = outcome;
      }
      makeRoom(now);
      records.set(stored.id, stored);
      index(stored);
      return { outcome: "created", evicted };
    },

    async update(record, expectedVersion) {
      validateNextVersion(record.version, expectedVersion);
      const current = records.get(record.id);
      // An expired record counts as gone, as it would in a TTL store.
      if (current === undefined || current.version !== expectedVersion || current.expiresAt <= clock()) {
        return false;
      }
      const stored = frozenCopy(record);
      unindex(current);
      records.set(stored.id, stored);
      index(stored);
      return true;
    },

    async delete(id) {
      remove(id);
    },

    async listByUser(userId) {
      return liveOfUser(userId, clock());
    },

    async deleteByUser(userId, exceptId) {
      let removed = 0;
      for (const id of [...(byUser.get(userId) ?? [])]) {
        if (id !== exceptId && remove(id)) removed++;
      }
      return removed;
    },

    async sweep(now) {
      return sweepNow(now);
    },

    async close() {
      stopTimer();
      records.clear();
      byUser.clear();
    },
  };
}

function frozenCopy(record: SessionRecord): SessionRecord {
  // structuredClone also detaches nested values the caller might keep
  // mutating (meta), and rejects values a real store could not persist.
  const copy: SessionRecord = structuredClone(record);
  Object.freeze(copy.meta);
  return Object.freeze(copy);
}
