import { SessionError } from "../../core/errors.js";

/**
 * The error every store throws when its backend fails (SPEC L16): a
 * `SessionError` with code `ERR_STORE_UNAVAILABLE`, the driver error kept as
 * `cause` for server logs, and a message naming no id, token or data.
 * A `SessionError` thrown inside passes through unchanged.
 */
export function storeUnavailable(store: string, reason: string, cause: unknown): SessionError {
  if (cause instanceof SessionError) return cause;
  return new SessionError("ERR_STORE_UNAVAILABLE", `the ${store} session store failed: ${reason}`, { cause });
}

/**
 * The error a store throws from `get` when the record under the requested id
 * cannot be decoded (unparsable JSON, a column of the wrong type): code
 * `ERR_STORE_CORRUPT`, which the manager handles like a tampered record
 * (deleted, `rejected`, anonymous request) instead of failing every request
 * that presents the token. The parser's error is not kept: its message may
 * quote the stored bytes.
 */
export function corruptRecord(store: string): SessionError {
  return new SessionError("ERR_STORE_CORRUPT", `the ${store} session store holds a record it cannot decode`);
}
