import type { SessionMeta, SessionRecord } from "../../core/store.js";

/**
 * Serialises a record with exactly the contract's fields, so extra
 * properties a caller may have put on the object are not persisted and an
 * absent `successor` stays absent (JSON drops `undefined`).
 */
export function encodeRecord(record: SessionRecord): string {
  return JSON.stringify({
    id: record.id,
    userId: record.userId,
    createdAt: record.createdAt,
    authenticatedAt: record.authenticatedAt,
    lastSeenAt: record.lastSeenAt,
    idleTimeout: record.idleTimeout,
    absoluteTimeout: record.absoluteTimeout,
    expiresAt: record.expiresAt,
    version: record.version,
    data: record.data,
    meta: record.meta,
    successor: record.successor,
  });
}

/**
 * Parses what {@link encodeRecord} wrote. Throws on anything that is not a
 * record, so a foreign or corrupted value surfaces as a store failure
 * instead of a half-filled session.
 */
export function decodeRecord(json: string): SessionRecord {
  const value = JSON.parse(json) as Partial<Record<keyof SessionRecord, unknown>> | null;
  if (
    value === null ||
    typeof value !== "object" ||
    typeof value.id !== "string" ||
    typeof value.expiresAt !== "number" ||
    typeof value.version !== "number" ||
    typeof value.data !== "string" ||
    (value.userId !== null && typeof value.userId !== "string") ||
    value.meta === null ||
    typeof value.meta !== "object"
  ) {
    throw new TypeError("not a session record");
  }
  const record: SessionRecord = {
    id: value.id,
    userId: value.userId,
    createdAt: value.createdAt as number,
    authenticatedAt: value.authenticatedAt as number | null,
    lastSeenAt: value.lastSeenAt as number,
    idleTimeout: value.idleTimeout as number,
    absoluteTimeout: value.absoluteTimeout as number,
    expiresAt: value.expiresAt,
    version: value.version,
    data: value.data,
    meta: value.meta as SessionMeta,
  };
  return typeof value.successor === "string" ? { ...record, successor: value.successor } : record;
}
