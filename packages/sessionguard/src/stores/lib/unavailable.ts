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
