import type { Incident, IncidentClient } from "./incident.js";
import type { LineRef, LogEntry } from "./log-entry.js";
import type { LogOptions } from "./options.js";
import type { Timed } from "./time-keyed-table.js";

/**
 * The first client of a session, kept compactly: its agent only as the
 * shared family string (the full agent of every live session would be the
 * largest part of the engine's memory), its line as file and number.
 */
export interface OwnerClient {
  readonly ip: string;
  readonly network: string;
  readonly family: string | null;
  readonly time: number;
  readonly file: string;
  readonly line: number;
}

/**
 * What the engine remembers about one live session (a token in access logs,
 * a public id in library events). A few dozen bytes plus the owner's
 * strings; dropped after `sessionIdleMs` without use.
 */
export interface SessionState extends Timed {
  readonly key: string;
  readonly kind: "request" | "event";
  /** First time seen in this run, or the creation time the library logged (inherited across rotations). */
  origin: number;
  /** The first id of a chain of rotations (events), else this session's own key. */
  originKey: string;
  /** Whether the library's log shows this id being issued (`created`, `authenticated`, `rotated`). */
  issued: boolean;
  owner: OwnerClient | null;
  /** Whether the session was ever answered with a non-refused status. */
  ok: boolean;
  loggedOut: { readonly time: number; readonly ref: LineRef } | null;
  hijack: Incident | null;
  afterLogout: Incident | null;
  pastAbsolute: Incident | null;
  unissued: Incident | null;
}

/** One parsed line as the detections see it. */
export interface Observation {
  readonly entry: LogEntry;
  readonly ref: LineRef;
  /** The session the line presents (for events: the `sid`), or `null`. */
  readonly session: SessionState | null;
  /** For `rotated`/`authenticated` events: the session that was presented and replaced. */
  readonly previous: SessionState | null;
  /** True when this line is the first one of `session` in this run. */
  readonly isNew: boolean;
  /** True when `previous` was first seen on this line. */
  readonly previousIsNew: boolean;
  /** True when the answer refused the session (status in `rejectedStatuses`). */
  readonly refused: boolean;
}

/** What a detection may use from the engine. */
export interface DetectionContext {
  readonly options: LogOptions;
  /** Log time of the first line of the run (ms), for warm-up rules. */
  readonly startTime: number;
  /** Registers a new incident (the engine announces it and keeps it for the report). */
  raise(incident: Incident): void;
  /** The client of a line, with its network and agent family. */
  client(entry: LogEntry, role: IncidentClient["role"], ref: LineRef): IncidentClient;
  /** The redacted evidence text of a line. */
  describe(entry: LogEntry, session: SessionState | null): string;
  /** The report label of a session: its short hash, or the library's public id. */
  label(session: SessionState): string;
  /** Network and agent family of an address and agent. */
  networkOf(ip: string): string;
  familyOf(userAgent: string | null): string | null;
}

/** A detection: sees every observation in log order; `sweep` and `finish` close what is stale. */
export interface Detection {
  observe(observation: Observation, context: DetectionContext): void;
  /** Log time advanced to `now`: drop windows that can no longer matter. */
  sweep?(now: number): void;
  /** End of input. */
  finish?(): void;
}

/** Event types in which the library accepted a presented token (its `sid`). */
export const ACCEPTING_EVENTS: ReadonlySet<string> = new Set(["refreshed", "anomaly", "logout"]);

/** Event types in which the library accepted the presented `previousSid` and replaced it. */
export const REPLACING_EVENTS: ReadonlySet<string> = new Set(["rotated", "authenticated"]);

/**
 * The session a line shows being used successfully, or `null`: a request
 * that was not refused, or an event in which the library accepted a token.
 */
export function acceptedSession(o: Observation): SessionState | null {
  const e = o.entry;
  if (e.kind === "request") return o.session !== null && !o.refused ? o.session : null;
  const type = e.event?.type;
  if (type === undefined) return null;
  if (ACCEPTING_EVENTS.has(type)) return o.session;
  if (REPLACING_EVENTS.has(type)) return o.previous;
  return null;
}
