import { toBase64Url, utf8 } from "../encoding.js";
import { SessionError } from "../errors.js";
import type { LoadedKeyRing } from "../key-ring.js";
import { open, seal } from "../seal.js";
import type { SessionMeta, SessionRecord } from "../store.js";
import { hashToken } from "../token.js";

/** What a record's sealed `data` holds: application data and the CSRF synchronizer token. */
export interface SessionPayload {
  readonly d: Record<string, unknown>;
  readonly c?: string;
}

/** Every field of a record except its envelope: what the envelope's AAD authenticates. */
export type RecordFields = Omit<SessionRecord, "data">;

/**
 * AAD of a record's envelope: every field the manager acts on, the store key
 * included (SPEC L3). A store write without the key can therefore neither
 * create a record, nor change its user, timestamps, deadlines, successor or
 * client facts, nor roll its envelope back to an older version: the envelope
 * no longer opens and the record is treated as tampered. `v2` marks the
 * format; envelopes of the `v1` format (which bound only the id) never open.
 */
function recordAad(r: RecordFields): string {
  const fields = [
    r.id,
    r.userId,
    r.createdAt,
    r.authenticatedAt,
    r.lastSeenAt,
    r.idleTimeout,
    r.absoluteTimeout,
    r.expiresAt,
    r.version,
    r.successor ?? null,
    r.meta.ip ?? null,
    r.meta.userAgent ?? null,
    r.meta.issuedAt ?? null,
  ];
  return `sessionguard:v2:${JSON.stringify(fields)}`;
}

/** The store key of a token (SHA-256, base64url): synchronous where `node:crypto` exists, same result as {@link hashToken}. */
export async function storeKey(ring: LoadedKeyRing, token: string): Promise<string> {
  return ring.native !== null ? ring.native.sha256Base64Url(token) : hashToken(token);
}

/** Public id of a record (salted hash of the store key, 22 characters): for events, logs and listings (SPEC L12). */
export async function publicId(ring: LoadedKeyRing, recordId: string): Promise<string> {
  if (ring.native !== null) return ring.native.sha256Base64Url(ring.eventSalt, recordId).slice(0, 22);
  const id = utf8(recordId);
  const input = new Uint8Array(ring.eventSalt.length + id.length);
  input.set(ring.eventSalt, 0);
  input.set(id, ring.eventSalt.length);
  return toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", input))).slice(0, 22);
}

/**
 * Seals a record: data and CSRF token encrypted under the ring's current key,
 * with every other field of the record in the AAD (see {@link recordAad}).
 * Every record is sealed, rotation aliases and empty sessions included, so a
 * record the library did not write never authenticates.
 * @throws SessionError `ERR_DATA` when the JSON exceeds `maxDataBytes`
 */
export async function sealRecord(
  ring: LoadedKeyRing,
  fields: RecordFields,
  data: Record<string, unknown>,
  csrf: string | null,
  maxDataBytes: number,
): Promise<SessionRecord> {
  const json = JSON.stringify(csrf === null ? { d: data } : { d: data, c: csrf });
  if (utf8(json).length > maxDataBytes) {
    throw new SessionError("ERR_DATA", `session data exceeds maxDataBytes (${maxDataBytes} bytes)`);
  }
  const record: SessionRecord = { ...fields, data: await seal(ring, json, recordAad(fields)) };
  return fields.successor === undefined ? withoutSuccessor(record) : record;
}

/** Drops a `successor: undefined` a spread may have left (exactOptionalPropertyTypes, exact store round trips). */
function withoutSuccessor(record: SessionRecord): SessionRecord {
  if (!("successor" in record)) return record;
  const { successor: _, ...rest } = record;
  return rest;
}

/**
 * Authenticates a record read from the store under key `id` and opens its
 * data. `null` when the record is not what the library wrote there: a field
 * of the wrong type (a corrupted column), another id than the key it was
 * read under, any field changed since it was sealed, an envelope of another
 * record or version, or one no key of the ring opens. Never throws.
 */
export async function openRecord(ring: LoadedKeyRing, id: string, record: unknown): Promise<SessionPayload | null> {
  if (!isRecordShape(record) || record.id !== id || record.data === "") return null;
  let json: string | null;
  try {
    json = await open(ring, record.data, recordAad(record));
  } catch {
    return null;
  }
  if (json === null) return null;
  try {
    const parsed = JSON.parse(json) as { d?: unknown; c?: unknown };
    if (parsed.d === null || typeof parsed.d !== "object" || Array.isArray(parsed.d)) return null;
    return typeof parsed.c === "string"
      ? { d: parsed.d as Record<string, unknown>, c: parsed.c }
      : { d: parsed.d as Record<string, unknown> };
  } catch {
    return null;
  }
}

function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isOptional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

const isString = (value: unknown): value is string => typeof value === "string";

/** True when `value` has the field types of a {@link SessionRecord}; a store may hand back anything. */
function isRecordShape(value: unknown): value is SessionRecord {
  if (value === null || typeof value !== "object") return false;
  const r = value as Record<keyof SessionRecord, unknown>;
  const meta = r.meta as Record<keyof SessionMeta, unknown> | null;
  return (
    isString(r.id) &&
    (r.userId === null || isString(r.userId)) &&
    isTime(r.createdAt) &&
    (r.authenticatedAt === null || isTime(r.authenticatedAt)) &&
    isTime(r.lastSeenAt) &&
    isTime(r.idleTimeout) &&
    isTime(r.absoluteTimeout) &&
    isTime(r.expiresAt) &&
    Number.isSafeInteger(r.version) &&
    isString(r.data) &&
    isOptional(r.successor, isString) &&
    meta !== null &&
    typeof meta === "object" &&
    !Array.isArray(meta) &&
    isOptional(meta.ip, isString) &&
    isOptional(meta.userAgent, isString) &&
    isOptional(meta.issuedAt, isTime)
  );
}
