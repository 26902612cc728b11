/** Lifecycle event types (SPEC L12). */
export type SessionEventType =
  | "created"
  | "authenticated"
  | "rotated"
  | "refreshed"
  | "expired"
  | "revoked"
  | "logout"
  | "rejected"
  | "anomaly";

/** All event types, in lifecycle order. */
export const SESSION_EVENT_TYPES: readonly SessionEventType[] = [
  "created",
  "authenticated",
  "rotated",
  "refreshed",
  "expired",
  "revoked",
  "logout",
  "rejected",
  "anomaly",
];

/**
 * One lifecycle event. `sid` is a salted hash of the session's store key
 * (never the token, never the store key itself), stable for the life of one
 * token, so log lines of one session can be joined without making them usable.
 */
export interface SessionEvent {
  readonly type: SessionEventType;
  /** Milliseconds since the Unix epoch. */
  readonly at: number;
  /** Public session id (salted hash, 22 characters), or `null` when there is no session. */
  readonly sid: string | null;
  /** Public id of the session this one replaced (`rotated`, `authenticated`). */
  readonly previousSid?: string;
  /** The session's user, or `null` for an anonymous session or a rejected token. */
  readonly userId: string | null;
  /** Why: e.g. `idle`, `absolute`, `unknown`, `malformed`, `session-limit`, `credential-change`, `user-agent`. */
  readonly reason?: string;
  /** Client IP (on `rejected` and `anomaly`). */
  readonly ip?: string;
  /** Client User-Agent (on `rejected` and `anomaly`). */
  readonly userAgent?: string;
}

/** A listener; errors it throws are swallowed so logging can never break a request. */
export type SessionEventListener = (event: SessionEvent) => void;

/** A minimal typed event hub (no Node `events` dependency, so the core runs on any runtime). */
export class SessionEvents {
  readonly #listeners = new Map<SessionEventType | "*", Set<SessionEventListener>>();

  /**
   * Subscribes to one event type, or to all with `"*"`.
   * @returns a function that unsubscribes
   */
  on(type: SessionEventType | "*", listener: SessionEventListener): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** True when anybody listens to `type` (lets the manager skip building events nobody reads). */
  wanted(type: SessionEventType): boolean {
    return (this.#listeners.get(type)?.size ?? 0) + (this.#listeners.get("*")?.size ?? 0) > 0;
  }

  /** Delivers an event to its listeners synchronously. */
  emit(event: SessionEvent): void {
    for (const key of [event.type, "*"] as const) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(event);
        } catch {
          // A failing log sink must not fail the request that produced the event.
        }
      }
    }
  }
}

/**
 * A listener that writes each event as one JSON line, for log shippers and
 * `sessionguard logs`. Pass it to `manager.on("*", …)`.
 * @param write - receives one line per event, ending in `\n`
 * @example manager.on("*", jsonLinesLogger((line) => process.stdout.write(line)))
 */
export function jsonLinesLogger(write: (line: string) => void): SessionEventListener {
  return (event) => {
    write(`${JSON.stringify({ ...event, at: new Date(event.at).toISOString(), source: "sessionguard" })}\n`);
  };
}
