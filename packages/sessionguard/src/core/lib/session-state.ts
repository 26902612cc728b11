import type { SessionRecord } from "../store.js";

/** Marks a key deleted in the change set. */
export const DELETED: unique symbol = Symbol("deleted");

/** Internal, mutable state of one request's session; only the manager reads and writes it. */
export interface SessionState {
  /** The record this request is bound to, or `null` (anonymous, not yet stored). */
  record: SessionRecord | null;
  /** Public id (salted hash) of `record`. */
  publicId: string | null;
  /** The token the client presented, when it resolved to `record` directly (not via a grace alias). */
  presentedToken: string | null;
  /** A token issued during this request; it reaches the client in `Set-Cookie`. */
  issuedToken: string | null;
  /** Application data as loaded from the store. */
  loaded: Record<string, unknown>;
  /** Changes made during this request, applied on top of whatever the store holds at commit. */
  changes: Map<string, unknown>;
  /**
   * JSON of loaded values as they were when the application first read them:
   * objects handed out by `get` can be mutated in place (`cart.push(x)`), and
   * a changed JSON at commit turns the key into a change.
   */
  reads: Map<string, string>;
  /** CSRF synchronizer token, and whether this request changed it. */
  csrf: string | null;
  csrfChanged: boolean;
  /** Per-session timeout overrides requested during this request. */
  timeouts: { idle: number; absolute: number } | null;
  /** The record must be written even without data changes (new CSRF token, timeouts, explicit save). */
  forceWrite: boolean;
  /** What to tell the browser about the cookie. */
  cookie: "keep" | "set" | "clear";
  /** Periodic rotation decided for this request. */
  rotate: boolean;
  /** Extra response headers (Clear-Site-Data). */
  headers: Array<[string, string]>;
  /** Rotation and cookie refresh were decided for this request. */
  decided: boolean;
  /** Re-send the presented token with a fresh `Max-Age` (persistent cookies). */
  refreshCookie: boolean;
  /** Client facts of this request. */
  client: { ip?: string; userAgent?: string };
  /** The record was reached through a rotation-grace alias: never re-send or rotate its token. */
  viaGrace: boolean;
}

/** Fresh anonymous state. */
export function emptyState(client: SessionState["client"]): SessionState {
  return {
    record: null,
    publicId: null,
    presentedToken: null,
    issuedToken: null,
    loaded: {},
    changes: new Map(),
    reads: new Map(),
    csrf: null,
    csrfChanged: false,
    timeouts: null,
    forceWrite: false,
    cookie: "keep",
    rotate: false,
    headers: [],
    decided: false,
    refreshCookie: false,
    client,
    viaGrace: false,
  };
}

/** Turns in-place mutations of values the application read into changes (see {@link SessionState.reads}). */
export function collectMutations(state: SessionState): void {
  for (const [key, json] of state.reads) {
    if (!state.changes.has(key) && Object.hasOwn(state.loaded, key) && JSON.stringify(state.loaded[key]) !== json) {
      state.changes.set(key, state.loaded[key]);
    }
  }
  state.reads.clear();
}

/** Loaded data with this request's changes applied. */
export function currentData(state: SessionState): Record<string, unknown> {
  if (state.changes.size === 0) return state.loaded;
  return applyChanges(state.loaded, state.changes);
}

/** `base` with `changes` applied (deleted keys removed). */
export function applyChanges(
  base: Record<string, unknown>,
  changes: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of changes) {
    if (value === DELETED) delete out[key];
    else out[key] = value;
  }
  return out;
}
