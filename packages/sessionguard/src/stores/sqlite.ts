import Database from "better-sqlite3";
import { type Clock, systemClock } from "../core/clock.js";
import { SessionError } from "../core/errors.js";
import { type CreateResult, EXPIRED_RETENTION, type SessionLimit, type SessionStore } from "../core/store.js";
import { recordToRow, rowsToRecords, rowToRecord, SQL_COLUMNS, type SqliteRow } from "./lib/sqlite-row.js";
import { startSweepTimer } from "./lib/sweep-timer.js";
import { storeUnavailable } from "./lib/unavailable.js";
import { validateClock, validateLimit, validateNextVersion, validateSweepInterval } from "./lib/validate.js";

/** Options shared by both ways of giving {@link sqliteStore} a database. */
export interface SqliteStoreCommonOptions {
  /**
   * Table name; created with its indexes if it does not exist. Letters,
   * digits and `_`, not starting with a digit, at most 63 characters.
   * Default `"sessionguard_sessions"`.
   */
  readonly table?: string;
  /** Milliseconds between background sweeps of expired rows; `0` disables them. Default `60_000`. */
  readonly sweepInterval?: number;
  /** Time source for expiry decisions. Default {@link systemClock}. */
  readonly clock?: Clock;
}

/**
 * Options of {@link sqliteStore}: either a `path` the store opens (and
 * closes), or an open better-sqlite3 `database` the application owns.
 */
export type SqliteStoreOptions = SqliteStoreCommonOptions &
  (
    | {
        /**
         * Database file, created if missing, or `":memory:"` for a private
         * in-memory database. The store sets `journal_mode = WAL` (files),
         * `busy_timeout = 5000` and `synchronous = NORMAL` (with WAL only).
         */
        readonly path: string;
        readonly database?: never;
      }
    | {
        /**
         * An open better-sqlite3 connection. Its pragmas are left as the
         * application set them, and {@link SqliteStore.close} does not close it.
         */
        readonly database: Database.Database;
        readonly path?: never;
      }
  );

/** A {@link SessionStore} on SQLite through better-sqlite3, for a single machine. */
export interface SqliteStore extends SessionStore {
  /**
   * Deletes rows whose `expires_at` is at or before `now - EXPIRED_RETENTION` (ms since the
   * epoch), 1000 rows per statement, yielding to the event loop between
   * batches; returns how many.
   */
  sweep(now: number): Promise<number>;
  /** Stops the sweep timer and closes the database if the store opened it. Idempotent. */
  close(): Promise<void>;
}

const STORE = "sqliteStore";
const DEFAULT_TABLE = "sessionguard_sessions";
const TABLE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
// Short statements keep the write lock brief for other connections to the file.
const SWEEP_BATCH = 1000;
const BUSY_TIMEOUT_MS = 5000;
const DUPLICATE_ID = "the SQLite session store already holds a session with this id";

/**
 * Creates a session store on SQLite (better-sqlite3), the embedded default
 * for one machine. Several processes may share one database file: the
 * limited `create` runs in an `IMMEDIATE` transaction, so counting, evicting
 * and inserting are atomic across connections.
 *
 * Driver failures reject with `SessionError` `ERR_STORE_UNAVAILABLE` (the
 * driver error is the `cause`); a duplicate id in `create` rejects with
 * `ERR_STORE_CONFLICT`.
 *
 * @throws SessionError `ERR_CONFIG` when an option is invalid,
 *   `ERR_STORE_UNAVAILABLE` when the database cannot be opened or prepared
 */
export function sqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options === null || typeof options !== "object") {
    throw new SessionError("ERR_CONFIG", `${STORE}: options are required: { path } or { database }`);
  }
  const table = options.table ?? DEFAULT_TABLE;
  if (typeof table !== "string" || !TABLE_PATTERN.test(table)) {
    throw new SessionError(
      "ERR_CONFIG",
      `${STORE}: table must be 1-63 letters, digits or underscores, not starting with a digit (default "${DEFAULT_TABLE}")`,
    );
  }
  const sweepInterval = validateSweepInterval(options.sweepInterval ?? 60_000, STORE);
  const clock = validateClock(options.clock ?? systemClock, STORE);

  const hasPath = options.path !== undefined;
  const hasDatabase = options.database !== undefined;
  if (hasPath === hasDatabase) {
    throw new SessionError("ERR_CONFIG", `${STORE}: pass exactly one of path (a file or ":memory:") or database`);
  }
  if (hasPath && (typeof options.path !== "string" || options.path === "")) {
    // better-sqlite3 turns "" into an anonymous temporary file, surely not what was meant.
    throw new SessionError("ERR_CONFIG", `${STORE}: path must be a file path or ":memory:"`);
  }

  const ownsDatabase = options.database === undefined;
  const db = options.database ?? guard("could not open the database", () => new Database(options.path ?? ""));

  let statements: Statements;
  try {
    if (ownsDatabase) configure(db);
    statements = prepare(db, table);
  } catch (cause) {
    if (ownsDatabase) db.close();
    throw unavailable("could not prepare the session table", cause);
  }
  const s = statements;

  const createLimited = db.transaction((row: SqliteRow, userId: string, limit: SessionLimit, now: number) => {
    const live = s.countLive.get(userId, now) ?? 0;
    const excess = live - limit.max + 1;
    let evicted: string[] = [];
    if (excess > 0) {
      if (limit.policy === "reject") return { outcome: "rejected", evicted: [] } satisfies CreateResult;
      evicted = s.oldestLive.all(userId, now, excess);
      for (const id of evicted) s.deleteById.run(id);
    }
    s.insert.run(row);
    return { outcome: "created", evicted } satisfies CreateResult;
  });

  const sweepBatch = (now: number): number =>
    guard("could not delete expired sessions", () => s.sweepBatch.run(now - EXPIRED_RETENTION, SWEEP_BATCH).changes);

  const stopTimer = startSweepTimer(sweepInterval, () => store.sweep(clock()));

  const store: SqliteStore = {
    async get(id) {
      const row = guard("could not read a session", () => s.get.get(id, clock() - EXPIRED_RETENTION));
      return row === undefined ? null : guard("could not decode a session", () => rowToRecord(row));
    },

    async create(record, limit) {
      if (limit !== undefined) validateLimit(limit);
      const row = recordToRow(record);
      try {
        if (limit === undefined || record.userId === null) {
          s.insert.run(row);
          return { outcome: "created", evicted: [] };
        }
        // IMMEDIATE takes the write lock before counting: a deferred
        // transaction would let two connections count the same sessions.
        return createLimited.immediate(row, record.userId, limit, clock());
      } catch (cause) {
        if (isUniqueViolation(cause)) {
          throw new SessionError("ERR_STORE_CONFLICT", DUPLICATE_ID, { cause });
        }
        throw unavailable("could not create a session", cause);
      }
    },

    async update(record, expectedVersion) {
      validateNextVersion(record.version, expectedVersion);
      const params = { ...recordToRow(record), expected_version: expectedVersion, now: clock() };
      return guard("could not update a session", () => s.update.run(params).changes === 1);
    },

    async delete(id) {
      guard("could not delete a session", () => s.deleteById.run(id));
    },

    async listByUser(userId) {
      const rows = guard("could not list sessions", () => s.listByUser.all(userId, clock()));
      return rowsToRecords(rows);
    },

    async deleteByUser(userId, exceptId) {
      return guard("could not delete sessions", () =>
        exceptId === undefined
          ? s.deleteByUser.run(userId).changes
          : s.deleteByUserExcept.run(userId, exceptId).changes,
      );
    },

    async sweep(now) {
      let total = 0;
      for (;;) {
        const removed = sweepBatch(now);
        total += removed;
        if (removed < SWEEP_BATCH) return total;
        // The driver is synchronous: give pending requests a turn between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },

    async close() {
      stopTimer();
      if (ownsDatabase && db.open) guard("could not close the database", () => db.close());
    },
  };
  return store;
}

interface Statements {
  get: Database.Statement<[string, number], SqliteRow>;
  insert: Database.Statement<[SqliteRow]>;
  update: Database.Statement<[SqliteRow & { expected_version: number; now: number }]>;
  deleteById: Database.Statement<[string]>;
  countLive: Database.Statement<[string, number], number>;
  oldestLive: Database.Statement<[string, number, number], string>;
  listByUser: Database.Statement<[string, number], SqliteRow>;
  deleteByUser: Database.Statement<[string]>;
  deleteByUserExcept: Database.Statement<[string, string]>;
  sweepBatch: Database.Statement<[number, number]>;
}

function configure(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (db.memory) return;
  const mode = db.pragma("journal_mode = WAL", { simple: true });
  // NORMAL is crash-safe only with WAL; in rollback-journal mode (WAL refused,
  // e.g. on a network file system) keep SQLite's safer default.
  if (mode === "wal") db.pragma("synchronous = NORMAL");
}

function prepare(db: Database.Database, table: string): Statements {
  const t = `"${table}"`;
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${t} (
      id TEXT PRIMARY KEY NOT NULL,
      user_id TEXT NULL,
      created_at INTEGER NOT NULL,
      authenticated_at INTEGER NULL,
      last_seen_at INTEGER NOT NULL,
      idle_timeout INTEGER NOT NULL,
      absolute_timeout INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      version INTEGER NOT NULL,
      data TEXT NOT NULL,
      meta TEXT NOT NULL,
      successor TEXT NULL
    );
    CREATE INDEX IF NOT EXISTS "${table}_user_id" ON ${t} (user_id);
    CREATE INDEX IF NOT EXISTS "${table}_expires_at" ON ${t} (expires_at);
  `);
  const columns = SQL_COLUMNS.join(", ");
  // An application-owned connection may have defaultSafeIntegers(true), which
  // would turn every time into a BigInt; the record contract uses numbers.
  const numbers = <S extends { safeIntegers(on?: boolean): S }>(statement: S): S => statement.safeIntegers(false);
  return {
    get: numbers(
      db.prepare<[string, number], SqliteRow>(`SELECT ${columns} FROM ${t} WHERE id = ? AND expires_at > ?`),
    ),
    insert: numbers(
      db.prepare<[SqliteRow]>(`INSERT INTO ${t} (${columns}) VALUES (${SQL_COLUMNS.map((c) => `@${c}`).join(", ")})`),
    ),
    update: numbers(
      db.prepare<[SqliteRow & { expected_version: number; now: number }]>(
        `UPDATE ${t} SET ${SQL_COLUMNS.filter((c) => c !== "id")
          .map((c) => `${c} = @${c}`)
          .join(", ")} WHERE id = @id AND version = @expected_version AND expires_at > @now`,
      ),
    ),
    deleteById: numbers(db.prepare<[string]>(`DELETE FROM ${t} WHERE id = ?`)),
    countLive: numbers(
      db.prepare<[string, number], number>(`SELECT count(*) FROM ${t} WHERE user_id = ? AND expires_at > ?`).pluck(),
    ),
    oldestLive: numbers(
      db
        .prepare<[string, number, number], string>(
          `SELECT id FROM ${t} WHERE user_id = ? AND expires_at > ? ORDER BY created_at, id LIMIT ?`,
        )
        .pluck(),
    ),
    listByUser: numbers(
      db.prepare<[string, number], SqliteRow>(`SELECT ${columns} FROM ${t} WHERE user_id = ? AND expires_at > ?`),
    ),
    deleteByUser: numbers(db.prepare<[string]>(`DELETE FROM ${t} WHERE user_id = ?`)),
    deleteByUserExcept: numbers(db.prepare<[string, string]>(`DELETE FROM ${t} WHERE user_id = ? AND id <> ?`)),
    sweepBatch: numbers(
      db.prepare<[number, number]>(
        `DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE expires_at <= ? LIMIT ?)`,
      ),
    ),
  };
}

function guard<T>(reason: string, operation: () => T): T {
  try {
    return operation();
  } catch (cause) {
    throw unavailable(reason, cause);
  }
}

function unavailable(reason: string, cause: unknown): SessionError {
  return storeUnavailable("SQLite", reason, cause);
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
