import type { SessionEventType } from "sessionguard";

/** Library lifecycle event types (SPEC L12), as they appear in `jsonLinesLogger` lines. */
export type EventType = SessionEventType;

/**
 * One parsed log line, whatever its format. A `request` comes from an access
 * log (combined or JSON lines) and its `session` is the raw cookie value; an
 * `event` comes from the sessionguard library and its `session` is the
 * library's salted public id. Raw values never leave the engine: findings
 * carry {@link shortHash} of them.
 */
export interface LogEntry {
  readonly kind: "request" | "event";
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** Account name when the log has one (`%u`, `remote_user`, the event's `userId`). */
  readonly user: string | null;
  readonly method: string | null;
  /** Request path with its query string. */
  readonly path: string | null;
  readonly status: number | null;
  /** Session cookie value (requests) or public session id (events); `null` when none. */
  readonly session: string | null;
  /** Library events only. */
  readonly event?: {
    readonly type: EventType;
    readonly reason: string | null;
    readonly previousSid: string | null;
  };
}

/** Where a line came from: the file as given on the command line and its 1-based line number. */
export interface LineRef {
  readonly file: string;
  readonly line: number;
}
