import type { SessionMeta, SessionRecord } from "../../core/store.js";
import { corruptRecord } from "./unavailable.js";

/** Column names of the SQL session tables (SQLite and PostgreSQL), in table order. */
export const SQL_COLUMNS = [
  "id",
  "user_id",
  "created_at",
  "authenticated_at",
  "last_seen_at",
  "idle_timeout",
  "absolute_timeout",
  "expires_at",
  "version",
  "data",
  "meta",
  "successor",
] as const;

/** One row of the SQLite session table, as bound to and read from statements. */
export interface SqliteRow {
  id: string;
  user_id: string | null;
  created_at: number;
  authenticated_at: number | null;
  last_seen_at: number;
  idle_timeout: number;
  absolute_timeout: number;
  expires_at: number;
  version: number;
  data: string;
  meta: string;
  successor: string | null;
}

/** Maps a record to the named parameters of the insert and update statements. */
export function recordToRow(record: SessionRecord): SqliteRow {
  return {
    id: record.id,
    user_id: record.userId,
    created_at: record.createdAt,
    authenticated_at: record.authenticatedAt,
    last_seen_at: record.lastSeenAt,
    idle_timeout: record.idleTimeout,
    absolute_timeout: record.absoluteTimeout,
    expires_at: record.expiresAt,
    version: record.version,
    data: record.data,
    meta: JSON.stringify(record.meta),
    successor: record.successor ?? null,
  };
}

/**
 * Maps a row back to a record. Absent optional fields stay absent rather
 * than `undefined` (exactOptionalPropertyTypes), so a round trip is exact.
 * Column types are not checked here: the manager authenticates every field.
 * @throws SessionError `ERR_STORE_CORRUPT` when `meta` is not JSON
 */
export function rowToRecord(row: SqliteRow): SessionRecord {
  let meta: SessionMeta;
  try {
    meta = JSON.parse(row.meta) as SessionMeta;
  } catch {
    throw corruptRecord("SQLite");
  }
  const record = {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    authenticatedAt: row.authenticated_at,
    lastSeenAt: row.last_seen_at,
    idleTimeout: row.idle_timeout,
    absoluteTimeout: row.absolute_timeout,
    expiresAt: row.expires_at,
    version: row.version,
    data: row.data,
    meta,
  };
  return row.successor === null ? record : { ...record, successor: row.successor };
}

/** Maps rows back to records, leaving out the ones that cannot be decoded (no session can come from them). */
export function rowsToRecords(rows: readonly SqliteRow[]): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (const row of rows) {
    try {
      out.push(rowToRecord(row));
    } catch {
      // Skipped: `get` reports it as ERR_STORE_CORRUPT, and the manager removes it when its token comes back.
    }
  }
  return out;
}
