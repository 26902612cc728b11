import pg from "pg";
import { type Clock, systemClock } from "../core/clock.js";
import { SessionError } from "../core/errors.js";
import {
  type CreateResult,
  EXPIRED_RETENTION,
  type SessionLimit,
  type SessionMeta,
  type SessionRecord,
  type SessionStore,
} from "../core/store.js";
import {
  advisoryKey,
  isPlainIdentifier,
  POSTGRES_DEFAULT_SCHEMA,
  POSTGRES_DEFAULT_TABLE,
  POSTGRES_SCHEMA_MARKER,
  POSTGRES_SCHEMA_VERSION,
  schemaStatements,
  type TableNames,
  tableNames,
} from "./lib/postgres-schema.js";
import { SQL_COLUMNS } from "./lib/sqlite-row.js";
import { startSweepTimer } from "./lib/sweep-timer.js";
import { storeUnavailable } from "./lib/unavailable.js";
import { validateClock, validateLimit, validateNextVersion, validateSweepInterval } from "./lib/validate.js";

/**
 * Options of {@link postgresStore}. Pass exactly one of `pool` (a `pg.Pool`
 * the application owns) or `connectionString`.
 */
export interface PostgresStoreOptions {
  /**
   * A `pg` pool the application owns; {@link PostgresStore.close} leaves it
   * open. Give it `connectionTimeoutMillis` and `query_timeout` (see
   * {@link postgresPoolOptions}) so an outage fails requests quickly, and an
   * `error` listener so a server restart cannot crash the process.
   */
  readonly pool?: pg.Pool;
  /**
   * `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`. The store creates a pool
   * with {@link postgresPoolOptions} and closes it in {@link PostgresStore.close}.
   */
  readonly connectionString?: string;
  /** Schema of the table: letters, digits and `_`, at most 63. Default `"public"`. */
  readonly schema?: string;
  /** Table name: letters, digits and `_`, at most 63. Default `"sessionguard_sessions"`. */
  readonly table?: string;
  /**
   * Create (or migrate) the table and its indexes on first use, under an
   * advisory lock so app servers starting together do not race. `false`
   * for teams that run `sql/postgres.sql` (or {@link postgresSchemaSql})
   * with their own migrations. Default `true`.
   */
  readonly createTable?: boolean;
  /** Time source for expiry decisions. Default {@link systemClock}. */
  readonly clock?: Clock;
  /** Connect and query timeout in milliseconds of the pool the store creates (ignored with `pool`). Default `2000`. */
  readonly timeout?: number;
  /**
   * Milliseconds between background sweeps of expired rows; `0` disables
   * them. Every app server may sweep: batches skip rows another sweeper has
   * locked. Default `60_000`.
   */
  readonly sweepInterval?: number;
}

/** A {@link SessionStore} on PostgreSQL through `pg`. */
export interface PostgresStore extends SessionStore {
  /**
   * Deletes rows whose `expires_at` is at or before `now - EXPIRED_RETENTION` (ms since the
   * epoch) in batches of 1000, each its own short statement that skips rows
   * locked by others; returns how many.
   */
  sweep(now: number): Promise<number>;
  /** Stops the sweep timer and ends the pool if the store created it. Idempotent. */
  close(): Promise<void>;
}

const STORE = "postgresStore";
const SWEEP_BATCH = 1000;
// Enough for 100 million expired rows in one call; the loop must end somewhere.
const MAX_SWEEP_BATCHES = 100_000;
const DUPLICATE_ID = "the PostgreSQL session store already holds a session with this id";
const COLUMNS = SQL_COLUMNS;

/**
 * `pg.Pool` options that make a session store fail fast and recover by
 * itself: connecting and each query give up after `timeout` ms (the request
 * gets a 503), and broken connections are replaced on the next checkout.
 *
 * @param timeout - connect and query timeout in milliseconds (default 2000)
 */
export function postgresPoolOptions(timeout = 2000): pg.PoolConfig {
  return {
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    // An idle pool must not keep a process alive that has nothing else to do.
    allowExitOnIdle: true,
  };
}

/**
 * The SQL that creates the store's table and indexes (schema version 1),
 * for teams that apply migrations themselves; `sql/postgres.sql` in the
 * package is this text for the default names. Every statement is idempotent.
 */
export function postgresSchemaSql(options: { readonly schema?: string; readonly table?: string } = {}): string {
  const { schema, table } = validNames(options.schema, options.table);
  const statements = schemaStatements(tableNames(schema, table), schema !== POSTGRES_DEFAULT_SCHEMA);
  return [
    `-- sessionguard PostgreSQL session store, schema version ${POSTGRES_SCHEMA_VERSION}.`,
    "-- Apply once (idempotent), then use postgresStore({ createTable: false, ... }).",
    "-- Times are milliseconds since the Unix epoch; id is SHA-256 of the token, never the token.",
    "",
    ...statements.map((s) => `${s};`),
    "",
  ].join("\n");
}

/**
 * Creates a session store on PostgreSQL through `pg`.
 *
 * The request hot path is one `SELECT` by primary key. Updates are
 * versioned (`UPDATE … WHERE id = $1 AND version = $2`). A `create` with a
 * per-user limit runs in one transaction holding a per-user advisory lock,
 * so counting, evicting or rejecting and inserting are atomic across every
 * app server. Expired rows are deleted by short batched statements.
 *
 * Driver failures reject with `SessionError` `ERR_STORE_UNAVAILABLE` (the
 * driver error is the `cause`); a duplicate id in `create` rejects with
 * `ERR_STORE_CONFLICT`; a missing table with `createTable: false`, or a
 * table migrated by a newer sessionguard, rejects with `ERR_CONFIG`.
 *
 * @throws SessionError `ERR_CONFIG` when an option is invalid
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  if (options === null || typeof options !== "object") {
    throw new SessionError("ERR_CONFIG", `${STORE}: options are required: { pool } or { connectionString }`);
  }
  const { schema, table } = validNames(options.schema, options.table);
  const createTable = options.createTable ?? true;
  if (typeof createTable !== "boolean") throw new SessionError("ERR_CONFIG", `${STORE}: createTable must be a boolean`);
  const clock = validateClock(options.clock ?? systemClock, STORE);
  const sweepInterval = validateSweepInterval(options.sweepInterval ?? 60_000, STORE);
  const timeout = options.timeout ?? 2000;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 600_000) {
    throw new SessionError("ERR_CONFIG", `${STORE}: timeout must be a whole number of milliseconds from 1 to 600000`);
  }
  if ((options.pool === undefined) === (options.connectionString === undefined)) {
    throw new SessionError("ERR_CONFIG", `${STORE}: pass exactly one of pool (a pg.Pool) or connectionString`);
  }
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? createPool(options.connectionString, timeout);
  const names = tableNames(schema, table);
  const t = names.qualified;
  const columns = COLUMNS.join(", ");
  const sql = {
    get: `SELECT ${columns} FROM ${t} WHERE id = $1 AND expires_at > $2`,
    insert: `INSERT INTO ${t} (${columns}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(", ")})`,
    update: `UPDATE ${t} SET ${COLUMNS.slice(1)
      .map((c, i) => `${c} = $${i + 2}`)
      .join(", ")} WHERE id = $1 AND version = $13 AND expires_at > $14`,
    deleteById: `DELETE FROM ${t} WHERE id = $1`,
    liveOfUser: `SELECT id FROM ${t} WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at, id COLLATE "C"`,
    deleteIds: `DELETE FROM ${t} WHERE id = ANY($1::text[])`,
    listByUser: `SELECT ${columns} FROM ${t} WHERE user_id = $1 AND expires_at > $2`,
    deleteByUser: `DELETE FROM ${t} WHERE user_id = $1 AND ($2::text IS NULL OR id <> $2)`,
    // ctid = ANY(ARRAY(...)) is a TID scan: each batch is a short statement
    // that locks only its own rows and skips rows another sweeper holds.
    sweepBatch: `DELETE FROM ${t} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${t} WHERE expires_at <= $1 LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED))`,
  };

  let ready: Promise<void> | undefined;
  const ensureReady = (): Promise<void> => {
    // A failed first use (database down at boot) is retried by the next call.
    ready ??= prepareTable(pool, names, createTable, schema, table).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const query = async <R extends pg.QueryResultRow>(reason: string, text: string, values: unknown[]) => {
    try {
      await ensureReady();
      return await pool.query<R>(text, values);
    } catch (cause) {
      throw unavailable(reason, cause);
    }
  };

  const createLimited = async (
    record: SessionRecord & { userId: string },
    limit: SessionLimit,
  ): Promise<CreateResult> => {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      await client.query("BEGIN");
      // Rows that do not exist yet cannot be locked with FOR UPDATE; a lock
      // on the user serialises every limited create of that user instead.
      await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [advisoryKey(schema, table, record.userId)]);
      const live = await client.query<{ id: string }>(sql.liveOfUser, [record.userId, clock()]);
      const excess = live.rows.length - limit.max + 1;
      let evicted: string[] = [];
      if (excess > 0) {
        if (limit.policy === "reject") {
          await client.query("ROLLBACK");
          return { outcome: "rejected", evicted: [] };
        }
        evicted = live.rows.slice(0, excess).map((row) => row.id);
        await client.query(sql.deleteIds, [evicted]);
      }
      await client.query(sql.insert, toParams(record));
      await client.query("COMMIT");
      return { outcome: "created", evicted };
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      // A connection that failed mid-transaction is discarded, not reused.
      client.release(failure !== undefined && !isUniqueViolation(failure) ? failure : undefined);
    }
  };

  const stopTimer = startSweepTimer(sweepInterval, () => store.sweep(clock()));

  const store: PostgresStore = {
    async get(id) {
      const result = await query<Row>("could not read a session", sql.get, [id, clock() - EXPIRED_RETENTION]);
      const row = result.rows[0];
      return row === undefined ? null : decode(row);
    },

    async create(record, limit) {
      if (limit !== undefined) validateLimit(limit);
      try {
        await ensureReady();
        if (limit === undefined || record.userId === null) {
          await pool.query(sql.insert, toParams(record));
          return { outcome: "created", evicted: [] };
        }
        return await createLimited(record as SessionRecord & { userId: string }, limit);
      } catch (cause) {
        if (isUniqueViolation(cause)) throw new SessionError("ERR_STORE_CONFLICT", DUPLICATE_ID, { cause });
        throw unavailable("could not create a session", cause);
      }
    },

    async update(record, expectedVersion) {
      validateNextVersion(record.version, expectedVersion);
      const result = await query("could not update a session", sql.update, [
        ...toParams(record),
        expectedVersion,
        clock(),
      ]);
      return result.rowCount === 1;
    },

    async delete(id) {
      await query("could not delete a session", sql.deleteById, [id]);
    },

    async listByUser(userId) {
      const result = await query<Row>("could not list sessions", sql.listByUser, [userId, clock()]);
      return result.rows.map(decode);
    },

    async deleteByUser(userId, exceptId) {
      const result = await query("could not delete sessions", sql.deleteByUser, [userId, exceptId ?? null]);
      return result.rowCount ?? 0;
    },

    async sweep(now) {
      let total = 0;
      for (let batch = 0; batch < MAX_SWEEP_BATCHES; batch++) {
        const result = await query("could not delete expired sessions", sql.sweepBatch, [now - EXPIRED_RETENTION]);
        const removed = result.rowCount ?? 0;
        total += removed;
        if (removed < SWEEP_BATCH) break;
      }
      return total;
    },

    async close() {
      stopTimer();
      if (ownsPool && !pool.ended) await pool.end().catch(() => {});
    },
  };
  return store;
}

function validNames(schema: unknown, table: unknown): { schema: string; table: string } {
  const s = schema ?? POSTGRES_DEFAULT_SCHEMA;
  const t = table ?? POSTGRES_DEFAULT_TABLE;
  for (const [name, value, fallback] of [
    ["schema", s, POSTGRES_DEFAULT_SCHEMA],
    ["table", t, POSTGRES_DEFAULT_TABLE],
  ] as const) {
    if (!isPlainIdentifier(value)) {
      throw new SessionError(
        "ERR_CONFIG",
        `${STORE}: ${name} must be 1-63 letters, digits or underscores, not starting with a digit (default "${fallback}")`,
      );
    }
  }
  return { schema: s as string, table: t as string };
}

function createPool(connectionString: string | undefined, timeout: number): pg.Pool {
  let parsed: URL | undefined;
  try {
    parsed = new URL(connectionString ?? "");
  } catch {
    parsed = undefined;
  }
  // The message never repeats the string: it may carry a password.
  if (parsed === undefined || (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:")) {
    throw new SessionError(
      "ERR_CONFIG",
      `${STORE}: connectionString must look like postgres://USER@HOST:PORT/DATABASE`,
    );
  }
  const pool = new pg.Pool({ ...postgresPoolOptions(timeout), connectionString });
  // An idle connection dropped by a server restart is reported here; without
  // a listener the 'error' event would crash the process.
  pool.on("error", () => {});
  return pool;
}

/** Creates or checks the table once per store; concurrent first uses share one attempt. */
async function prepareTable(
  pool: pg.Pool,
  names: TableNames,
  createTable: boolean,
  schema: string,
  table: string,
): Promise<void> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [
      advisoryKey("sessionguard:migrate", schema, table),
    ]);
    const found = await client.query<{ present: boolean; comment: string | null }>(
      "SELECT to_regclass($1) IS NOT NULL AS present, obj_description(to_regclass($1), 'pg_class') AS comment",
      [names.qualified],
    );
    const { present = false, comment = null } = found.rows[0] ?? {};
    const version = comment?.startsWith(POSTGRES_SCHEMA_MARKER)
      ? Number(comment.slice(POSTGRES_SCHEMA_MARKER.length))
      : 0;
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new SessionError(
        "ERR_CONFIG",
        `${STORE}: the session table has schema version ${version}, newer than this sessionguard understands (${POSTGRES_SCHEMA_VERSION}); upgrade sessionguard`,
      );
    }
    if (!present && !createTable) {
      throw new SessionError(
        "ERR_CONFIG",
        `${STORE}: the session table does not exist; apply sql/postgres.sql (postgresSchemaSql()) or set createTable: true`,
      );
    }
    if (createTable && version < POSTGRES_SCHEMA_VERSION) {
      for (const statement of schemaStatements(names, schema !== POSTGRES_DEFAULT_SCHEMA))
        await client.query(statement);
    }
    await client.query("COMMIT");
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release(failure !== undefined && !(failure instanceof SessionError) ? failure : undefined);
  }
}

interface Row {
  id: string;
  user_id: string | null;
  created_at: string;
  authenticated_at: string | null;
  last_seen_at: string;
  idle_timeout: string;
  absolute_timeout: string;
  expires_at: string;
  version: number;
  data: string;
  meta: SessionMeta;
  successor: string | null;
}

function toParams(record: SessionRecord): unknown[] {
  return [
    record.id,
    record.userId,
    record.createdAt,
    record.authenticatedAt,
    record.lastSeenAt,
    record.idleTimeout,
    record.absoluteTimeout,
    record.expiresAt,
    record.version,
    record.data,
    JSON.stringify(record.meta),
    record.successor ?? null,
  ];
}

/** bigint columns arrive as strings (pg keeps 64-bit precision); times in ms fit a double exactly. */
function decode(row: Row): SessionRecord {
  const record: SessionRecord = {
    id: row.id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    authenticatedAt: row.authenticated_at === null ? null : Number(row.authenticated_at),
    lastSeenAt: Number(row.last_seen_at),
    idleTimeout: Number(row.idle_timeout),
    absoluteTimeout: Number(row.absolute_timeout),
    expiresAt: Number(row.expires_at),
    version: row.version,
    data: row.data,
    meta: row.meta,
  };
  return row.successor === null ? record : { ...record, successor: row.successor };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "23505";
}

function unavailable(reason: string, cause: unknown): SessionError {
  return storeUnavailable("PostgreSQL", reason, cause);
}
