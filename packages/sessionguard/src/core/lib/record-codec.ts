import { toBase64Url, utf8 } from "../encoding.js";
import { SessionError } from "../errors.js";
import type { LoadedKeyRing } from "../key-ring.js";
import { open, seal } from "../seal.js";
import type { SessionRecord } from "../store.js";
import { hashToken } from "../token.js";

/** What a record's sealed `data` holds: application data and the CSRF synchronizer token. */
export interface SessionPayload {
  readonly d: Record<string, unknown>;
  readonly c?: string;
}

/** AAD of a record's envelope: binds it to one record id (SPEC L3). */
function aadOf(id: string): string {
  return `sessionguard:v1:${id}`;
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
 * Seals data and CSRF token for record `id`; `""` when both are empty.
 * @throws SessionError `ERR_DATA` when the JSON exceeds `maxDataBytes`
 */
export async function sealPayload(
  ring: LoadedKeyRing,
  id: string,
  data: Record<string, unknown>,
  csrf: string | null,
  maxDataBytes: number,
): Promise<string> {
  if (Object.keys(data).length === 0 && csrf === null) return "";
  const json = JSON.stringify(csrf === null ? { d: data } : { d: data, c: csrf });
  if (utf8(json).length > maxDataBytes) {
    throw new SessionError("ERR_DATA", `session data exceeds maxDataBytes (${maxDataBytes} bytes)`);
  }
  return seal(ring, json, aadOf(id));
}

/** Opens a record's data; `null` when the envelope does not open under the ring or is not a payload. */
export async function unsealPayload(ring: LoadedKeyRing, record: SessionRecord): Promise<SessionPayload | null> {
  if (record.data === "") return { d: {} };
  const json = await open(ring, record.data, aadOf(record.id));
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
