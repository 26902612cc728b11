import type { HeaderReader } from "./csrf.js";
import { isSessionError } from "./errors.js";
import type { ResponseFacts, SessionManager } from "./manager.js";
import type { Session } from "./session.js";

/** A request as every adapter sees it. */
export interface AdapterRequest {
  readonly method: string;
  readonly header: HeaderReader;
  readonly ip?: string | undefined;
}

/** A response an adapter must send instead of running the application. */
export interface RefusalResponse {
  /** 403 for a cross-site request, 503 when the store is unavailable. */
  readonly status: 403 | 503;
  readonly body: string;
  /** Stable code for logs: `ERR_CSRF` or the store error's code. */
  readonly code: string;
}

/** Outcome of {@link openSession}. */
export type OpenOutcome = { readonly session: Session } | { readonly refusal: RefusalResponse };

const STORE_DOWN: RefusalResponse = {
  status: 503,
  body: "Service Unavailable: sessions are temporarily unavailable, try again shortly",
  code: "ERR_STORE_UNAVAILABLE",
};

/**
 * The shared start of every adapter: the cross-site check, then the session
 * load. Failures become a refusal (fail closed: a request is never treated as
 * authenticated without a validated session); other errors propagate.
 */
export async function openSession(manager: SessionManager, request: AdapterRequest): Promise<OpenOutcome> {
  const origin = manager.checkOrigin(request.method, request.header);
  if (!origin.ok) return { refusal: { status: 403, body: `Forbidden: ${origin.reason}`, code: "ERR_CSRF" } };
  try {
    const session = await manager.load({
      cookieHeader: request.header("cookie"),
      ip: request.ip,
      userAgent: request.header("user-agent") ?? undefined,
    });
    return { session };
  } catch (error) {
    if (isSessionError(error, "ERR_STORE_UNAVAILABLE")) return { refusal: STORE_DOWN };
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
    if (isSessionError(error, "ERR_STORE_UNAVAILABLE")) return { refusal: STORE_DOWN };
    throw error;
  }
}
