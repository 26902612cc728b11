/**
 * Stable error codes of sessionguard. Code is API: tests and applications
 * branch on `error.code`, never on the message.
 *
 * - `ERR_CONFIG` — invalid options at construction; the message says what to change.
 * - `ERR_WEAK_KEY` — an encryption key is missing, too short or not random enough.
 * - `ERR_INSECURE_COOKIE` — an insecure cookie setting was requested in production.
 * - `ERR_STORE_UNAVAILABLE` — the session store is down or timed out (adapters answer 503).
 * - `ERR_STORE_CONFLICT` — a versioned write kept losing to concurrent writers.
 * - `ERR_SESSION_LIMIT` — the per-user concurrent-session limit refused a login (`reject` policy).
 * - `ERR_SESSION_STATE` — an operation needs a state the session is not in (e.g. `revokeOthers` on an anonymous session).
 * - `ERR_RESERVED_KEY` — the application tried to store data under a reserved name.
 * - `ERR_DATA` — session data could not be serialised (not JSON-compatible) or is too large.
 * - `ERR_CSRF` — the code on the 403 refusal of a cross-site state-changing request (adapters; never thrown).
 * - `ERR_RATE_LIMITED` — this client sent too many invalid session tokens (adapters answer 429).
 */
export type SessionErrorCode =
  | "ERR_CONFIG"
  | "ERR_WEAK_KEY"
  | "ERR_INSECURE_COOKIE"
  | "ERR_STORE_UNAVAILABLE"
  | "ERR_STORE_CONFLICT"
  | "ERR_SESSION_LIMIT"
  | "ERR_SESSION_STATE"
  | "ERR_RESERVED_KEY"
  | "ERR_DATA"
  | "ERR_CSRF"
  | "ERR_RATE_LIMITED";

/**
 * The one error type sessionguard throws. Messages never contain a token,
 * a key or session data (SPEC L16); the cause of a driver failure is kept in
 * `cause` for server-side logs but is not part of the message.
 */
export class SessionError extends Error {
  /** Stable machine-readable code. */
  readonly code: SessionErrorCode;

  constructor(code: SessionErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SessionError";
    this.code = code;
  }
}

/** True when `value` is a {@link SessionError}, optionally with the given code. */
export function isSessionError(value: unknown, code?: SessionErrorCode): value is SessionError {
  return value instanceof SessionError && (code === undefined || value.code === code);
}
