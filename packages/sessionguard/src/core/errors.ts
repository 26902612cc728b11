/**
 * Every code a {@link SessionError} can carry, exactly the codes sessionguard
 * throws (a test greps the sources and compares). Code is API: tests and
 * applications branch on `error.code`, never on the message.
 *
 * - `ERR_CONFIG` — invalid options at construction; the message says what to change.
 * - `ERR_WEAK_KEY` — an encryption key is missing, too short or not random enough.
 * - `ERR_INSECURE_COOKIE` — an insecure cookie setting was requested in production.
 * - `ERR_STORE_UNAVAILABLE` — the session store is down or timed out (adapters answer 503).
 * - `ERR_STORE_CORRUPT` — a store holds a record under the requested id that it cannot decode (a column of the
 *   wrong type, unparsable JSON). Stores throw it from `get`; the manager never lets it escape: it treats the record
 *   like a tampered one (deletes it, emits `rejected`, answers anonymously).
 * - `ERR_STORE_CONFLICT` — a versioned write kept losing to concurrent writers, or a store was asked to create an id that exists.
 * - `ERR_SESSION_LIMIT` — the per-user concurrent-session limit refused a login (`reject` policy).
 * - `ERR_SESSION_STATE` — an operation needs a state the session is not in (e.g. `revokeOthers` on an anonymous session).
 * - `ERR_RESERVED_KEY` — the application tried to store data under a reserved name.
 * - `ERR_DATA` — session data could not be serialised (not JSON-compatible) or is too large.
 * - `ERR_RATE_LIMITED` — this client sent too many invalid session tokens (adapters answer 429); `details.retryAfter` says for how long.
 */
export const SESSION_ERROR_CODES = [
  "ERR_CONFIG",
  "ERR_WEAK_KEY",
  "ERR_INSECURE_COOKIE",
  "ERR_STORE_UNAVAILABLE",
  "ERR_STORE_CORRUPT",
  "ERR_STORE_CONFLICT",
  "ERR_SESSION_LIMIT",
  "ERR_SESSION_STATE",
  "ERR_RESERVED_KEY",
  "ERR_DATA",
  "ERR_RATE_LIMITED",
] as const;

/** Stable error codes of sessionguard; see {@link SESSION_ERROR_CODES}. */
export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

/**
 * Machine-readable facts of an error, by code. Codes not listed carry no
 * details (an empty object).
 */
export interface SessionErrorDetailsByCode {
  /** The client is blocked for sending invalid tokens. */
  readonly ERR_RATE_LIMITED: {
    /** Whole seconds until the client may present session tokens again (the `Retry-After` value). */
    readonly retryAfter: number;
  };
}

/** The `details` of a {@link SessionError} with code `C`. */
export type SessionErrorDetails<C extends SessionErrorCode = SessionErrorCode> =
  C extends keyof SessionErrorDetailsByCode ? SessionErrorDetailsByCode[C] : Readonly<Record<string, never>>;

/** Constructor options of {@link SessionError}: `details` is required exactly for the codes that have some. */
export type SessionErrorOptions<C extends SessionErrorCode> = C extends keyof SessionErrorDetailsByCode
  ? { readonly details: SessionErrorDetailsByCode[C]; readonly cause?: unknown }
  : { readonly cause?: unknown } | undefined;

/**
 * The one error type sessionguard throws. Messages never contain a token,
 * a key or session data (SPEC L16); the cause of a driver failure is kept in
 * `cause` for server-side logs but is not part of the message. Numbers a
 * caller acts on are fields of `details` (e.g. `details.retryAfter`), never
 * parsed out of the message.
 */
export class SessionError<C extends SessionErrorCode = SessionErrorCode> extends Error {
  /** Stable machine-readable code. */
  readonly code: C;
  /** Typed facts of this error (see {@link SessionErrorDetailsByCode}); `{}` for codes without details. */
  readonly details: SessionErrorDetails<C>;

  constructor(
    code: C,
    message: string,
    ...[options]: undefined extends SessionErrorOptions<C>
      ? [options?: SessionErrorOptions<C>]
      : [options: SessionErrorOptions<C>]
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SessionError";
    this.code = code;
    const details = options !== undefined && "details" in options ? options.details : {};
    this.details = Object.freeze({ ...details }) as SessionErrorDetails<C>;
  }
}

/** True when `value` is a {@link SessionError}, optionally with the given code (which then types `details`). */
export function isSessionError<C extends SessionErrorCode = SessionErrorCode>(
  value: unknown,
  code?: C,
): value is SessionError<C> {
  return value instanceof SessionError && (code === undefined || value.code === code);
}
