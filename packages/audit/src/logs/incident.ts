import type { Confidence, Severity } from "../report/model.js";
import type { LineRef, LogEntry } from "./log-entry.js";
import type { DetectionId } from "./options.js";
import { redactPath } from "./redact-line.js";

/** A client as the log shows it: address, agent and the derived network and agent family. */
export interface IncidentClient {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly network: string | null;
  readonly family: string | null;
  /** `owner`: the session's first client; `other`: another client of that session; `source`: the client that acted. */
  readonly role: "owner" | "other" | "source";
  /** First line of this client in the incident. */
  readonly firstSeen: number;
  readonly ref: LineRef;
}

/** One log line cited as evidence, redacted (the session appears as its short hash). */
export interface EvidenceLine extends LineRef {
  readonly time: number;
  readonly text: string;
  /** Index into {@link Incident.clients}, or -1 when the line has no client. */
  readonly client: number;
}

/**
 * How strong the hijack evidence is: both the network and the agent family
 * changed (`network-and-agent`, `log-hijack` high), or only one of them
 * (`network-only`: a roaming phone; `agent-only`: another app on the same
 * network), which stays info.
 */
export type HijackGrade = "network-and-agent" | "network-only" | "agent-only";

/**
 * One incident: what a detection found, as data. Renderers and the report
 * conversion read it; the engine never prints.
 */
export interface Incident {
  readonly detection: DetectionId;
  severity: Severity;
  confidence: Confidence;
  grade: HijackGrade | null;
  /** Short hash of the session token (first 16 hex of SHA-256) or the library's public id; `null` for client incidents. */
  readonly session: string | null;
  /** The account concerned, when the log names it. */
  account: string | null;
  readonly clients: IncidentClient[];
  /** First and last log time of the incident, ms since the epoch. */
  start: number;
  end: number;
  /** The lines that prove it (capped at {@link MAX_EVIDENCE}); `lines` counts them all. */
  readonly evidence: EvidenceLine[];
  lines: number;
  /** Figures behind the verdict, e.g. `{ distinctIds: 214, threshold: 20, windowMs: 300000 }`. */
  readonly facts: Record<string, number | string>;
  /** True while new lines may still extend it. */
  open: boolean;
}

/** Evidence lines kept per incident. */
export const MAX_EVIDENCE = 12;

/** Clients kept per incident. */
export const MAX_CLIENTS = 8;

/** ISO time without milliseconds, as evidence shows it. */
export function isoSecond(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The redacted text of a line for evidence: time, client, request, status,
 * agent, and the session as `session=<label>`; query values masked.
 */
export function describeEntry(entry: LogEntry, sessionLabel: string | null): string {
  const parts = [isoSecond(entry.time)];
  if (entry.ip !== null) parts.push(entry.ip);
  if (entry.kind === "event" && entry.event !== undefined) {
    parts.push(`event=${entry.event.type}`);
    if (entry.event.reason !== null) parts.push(`reason=${entry.event.reason}`);
  } else {
    const request = [entry.method ?? "-", entry.path === null ? "-" : redactPath(entry.path)].join(" ");
    parts.push(`"${request}"`);
    if (entry.status !== null) parts.push(String(entry.status));
  }
  if (entry.user !== null) parts.push(`user=${entry.user.slice(0, 64)}`);
  if (entry.userAgent !== null) parts.push(`"${entry.userAgent.slice(0, 160)}"`);
  if (sessionLabel !== null) parts.push(`session=${sessionLabel}`);
  return parts.join(" ");
}

/** Adds a client unless one with the same address and agent is there; returns its index (-1 when full). */
export function addClient(incident: Incident, client: IncidentClient): number {
  const found = incident.clients.findIndex((c) => c.ip === client.ip && c.userAgent === client.userAgent);
  if (found >= 0) return found;
  if (incident.clients.length >= MAX_CLIENTS) return -1;
  incident.clients.push(client);
  return incident.clients.length - 1;
}

/** Counts a line into an incident, keeping it as evidence while there is room. */
export function addEvidence(incident: Incident, ref: LineRef, entry: LogEntry, text: string, client: number): void {
  incident.lines++;
  if (entry.time < incident.start) incident.start = entry.time;
  if (entry.time > incident.end) incident.end = entry.time;
  if (incident.evidence.length < MAX_EVIDENCE) {
    incident.evidence.push({ file: ref.file, line: ref.line, time: entry.time, text, client });
  }
}

/** The fields that differ between incidents when one is opened. */
export interface IncidentStart {
  readonly confidence?: Confidence;
  readonly grade?: HijackGrade | null;
  readonly session?: string | null;
  readonly account?: string | null;
  readonly start: number;
  readonly end: number;
  readonly lines?: number;
  readonly facts?: Record<string, number | string>;
}

/** A new open incident of `detection` with no clients and no evidence yet. */
export function openIncident(detection: DetectionId, severity: Severity, start: IncidentStart): Incident {
  return {
    detection,
    severity,
    confidence: start.confidence ?? "firm",
    grade: start.grade ?? null,
    session: start.session ?? null,
    account: start.account ?? null,
    clients: [],
    start: start.start,
    end: start.end,
    evidence: [],
    lines: start.lines ?? 0,
    facts: start.facts ?? {},
    open: true,
  };
}
