import type { HeaderReader } from "../../core/csrf.js";
import { isSessionError } from "../../core/errors.js";
import type { ResponseFacts, SessionManager } from "../../core/manager.js";
import type { Session } from "../../core/session.js";

/** A request as every adapter sees it. */
export interface AdapterRequest {
  readonly method: string;
  readonly header: HeaderReader;
  readonly ip?: string | undefined;
}

/** A response an adapter must send instead of running the application. */
export interface RefusalResponse {
  /** 403 for a cross-site request, 429 for a client blocked for guessing, 503 when the store is unavailable. */
  readonly status: 403 | 429 | 503;
  readonly body: string;
  /** Stable code for logs: `ERR_CSRF`, `ERR_RATE_LIMITED`, `ERR_STORE_UNAVAILABLE`, `ERR_INTERNAL`. */
  readonly code: string;
  /** Every header of the refusal (the application's own headers must not leak into it). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Outcome of {@link openSession}. */
export type OpenOutcome = { readonly session: Session } | { readonly refusal: RefusalResponse };

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

const STORE_DOWN: RefusalResponse = {
  status: 503,
  body: "Service Unavailable: sessions are temporarily unavailable, try again shortly",
  code: "ERR_STORE_UNAVAILABLE",
  headers: { ...TEXT, "retry-after": "5" },
};

/** The refusal adapters send for an unexpected failure while the session was opened or saved. */
export const INTERNAL_ERROR: RefusalResponse = {
  status: 503,
  body: "Service Unavailable",
  code: "ERR_INTERNAL",
  headers: { ...TEXT, "retry-after": "5" },
};

/** The refusal for a store or rate-limit error, or `null` for other errors. */
function refusalFor(error: unknown): RefusalResponse | null {
  if (isSessionError(error, "ERR_STORE_UNAVAILABLE")) return STORE_DOWN;
  if (isSessionError(error, "ERR_RATE_LIMITED")) {
    return {
      status: 429,
      body: "Too Many Requests: too many invalid session tokens from this client",
      code: "ERR_RATE_LIMITED",
      headers: { ...TEXT, "retry-after": String(error.details.retryAfter) },
    };
  }
  return null;
}

/**
 * The shared start of every adapter: the cross-site check, then the session
 * load. Failures become a refusal (fail closed: a request is never treated as
 * authenticated without a validated session); other errors propagate.
 */
export async function openSession(manager: SessionManager, request: AdapterRequest): Promise<OpenOutcome> {
  const origin = manager.checkOrigin(request.method, request.header);
  if (!origin.ok) {
    return { refusal: { status: 403, body: `Forbidden: ${origin.reason}`, code: "ERR_CSRF", headers: TEXT } };
  }
  try {
    const session = await manager.load({
      cookieHeader: request.header("cookie"),
      ip: request.ip,
      userAgent: request.header("user-agent") ?? undefined,
    });
    return { session };
  } catch (error) {
    const refusal = refusalFor(error);
    if (refusal !== null) return { refusal };
    throw error;
  }
}

/** Outcome of {@link closeSession}. */
export type CloseOutcome = { readonly response: ResponseFacts } | { readonly refusal: RefusalResponse };

/** The shared end of every adapter: commit, or a 503 refusal when the store failed. */
export async function closeSession(manager: SessionManager, session: Session): Promise<CloseOutcome> {
  try {
    return { response: await manager.commit(session) };
  } catch (error) {
    const refusal = refusalFor(error);
    if (refusal !== null) return { refusal };
    throw error;
  }
}
