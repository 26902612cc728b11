import type { Detection, DetectionContext, Observation, SessionState } from "./context.js";
import { detach } from "./detach-string.js";
import { AfterLogoutDetection } from "./detections/after-logout.js";
import { GuessingDetection } from "./detections/guessing.js";
import { HijackDetection } from "./detections/hijack.js";
import { LoginBurstDetection } from "./detections/login-burst.js";
import { PastAbsoluteDetection } from "./detections/past-absolute.js";
import { UnissuedIdDetection } from "./detections/unissued-id.js";
import { describeEntry, type Incident, type IncidentClient } from "./incident.js";
import type { LineRef, LogEntry } from "./log-entry.js";
import { networkOf } from "./network.js";
import type { LogOptions } from "./options.js";
import { CombinedReader } from "./read-combined.js";
import { JsonLinesReader } from "./read-jsonl.js";
import { redactLine } from "./redact-line.js";
import { SessionCookiePicker } from "./session-cookie.js";
import { shortHash } from "./short-hash.js";
import { TimeKeyedTable } from "./time-keyed-table.js";
import { UserAgentFamilies } from "./user-agent-family.js";

/** `--log-format`: a format, or `auto` to detect it per file from its first line. */
export type LogFormat = "combined" | "jsonl" | "auto";

/** What one input file held. */
export interface FileStats {
  /** The file as given (`-` for stdin). */
  readonly file: string;
  /** The format read (detected under `auto`); `null` while nothing was read. */
  format: "combined" | "jsonl" | null;
  /** Lines read, blank ones included. */
  lines: number;
  /** Access-log requests parsed. */
  requests: number;
  /** Library events parsed. */
  events: number;
  /** Lines that were not blank and could not be parsed (too long ones included). */
  malformed: number;
  /** Lines longer than `maxLineBytes`. */
  tooLong: number;
  /** Bytes read (compressed size for gzip). */
  bytes: number;
  /** Why reading stopped early (truncated gzip, unreadable, disappeared), or `null`. */
  error: string | null;
  /** A hint for the operator, e.g. a `--log-format` that does not match the lines. */
  note: string | null;
}

/** A malformed line quoted in the report, redacted. */
export interface MalformedSample extends LineRef {
  readonly text: string;
}

/** The result of a run over some logs: incidents as data plus what was read. */
export interface LogAnalysis {
  readonly incidents: readonly Incident[];
  readonly files: readonly FileStats[];
  readonly malformedSamples: readonly MalformedSample[];
  /** The session cookie used (given or detected), `null` if none was seen. */
  readonly cookieName: string | null;
  /** Log time of the first and last parsed line. */
  readonly firstTime: number | null;
  readonly lastTime: number | null;
  /** Findings not kept: weak hijack signals over `hijack.maxWeakFindings`, incidents over the cap. */
  readonly suppressed: { readonly weakHijack: number; readonly incidents: number };
  /** Live state high-water marks, for the memory bound. */
  readonly state: {
    readonly peakSessions: number;
    readonly peakEventSessions: number;
    readonly forcedEvictions: number;
  };
  readonly options: LogOptions;
}

/** Malformed lines quoted per run. */
export const MAX_MALFORMED_SAMPLES = 5;

/** Incidents kept per run; more are counted in `suppressed.incidents`. */
export const MAX_INCIDENTS = 10_000;

// A file whose lines fail this often is almost certainly read in the wrong format.
const WRONG_FORMAT_RATIO = 0.5;

/**
 * The streaming engine: feed it lines in log order (`beginFile`, `line`,
 * `endFile`), then `finish`. Synchronous and I/O-free, so the CLI, `--follow`
 * and tests drive it alike. State is per live session and per client in a
 * window, evicted as log time advances (see `docs/monitoring.md` for the bound).
 */
export class LogAnalyzer {
  readonly #options: LogOptions;
  readonly #format: LogFormat;
  readonly #onIncident: (incident: Incident) => void;
  readonly #cookie: SessionCookiePicker;
  readonly #combined: CombinedReader;
  readonly #jsonl: JsonLinesReader;
  readonly #families = new UserAgentFamilies();
  readonly #networks = new Map<string, string>();
  readonly #sessions: TimeKeyedTable<SessionState>;
  readonly #eventSessions: TimeKeyedTable<SessionState>;
  readonly #hijack = new HijackDetection();
  readonly #detections: readonly Detection[];
  readonly #context: DetectionContext;
  readonly #incidents: Incident[] = [];
  readonly #files: FileStats[] = [];
  readonly #samples: MalformedSample[] = [];
  #current: FileStats | null = null;
  #startTime: number | null = null;
  #lastTime: number | null = null;
  #watermark = Number.NEGATIVE_INFINITY;
  #lastSweep = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  /**
   * @param options - thresholds and windows ({@link resolveLogOptions})
   * @param format - `--log-format`
   * @param onIncident - called once when an incident is first raised (`--follow` prints it)
   */
  constructor(options: LogOptions, format: LogFormat = "auto", onIncident: (incident: Incident) => void = () => {}) {
    this.#options = options;
    this.#format = format;
    this.#onIncident = onIncident;
    this.#cookie = new SessionCookiePicker(options.cookie);
    this.#combined = new CombinedReader(this.#cookie);
    this.#jsonl = new JsonLinesReader(options.fields, this.#cookie);
    const close = (_k: string, s: SessionState): void => {
      for (const i of [s.hijack, s.afterLogout, s.pastAbsolute, s.unissued]) if (i !== null) i.open = false;
    };
    this.#sessions = new TimeKeyedTable(options.sessionIdleMs, options.maxSessions, close);
    this.#eventSessions = new TimeKeyedTable(
      Math.max(options.sessionIdleMs, options.pastAbsolute.maxAbsoluteMs + options.pastAbsolute.toleranceMs),
      options.maxSessions,
      close,
    );
    this.#detections = [
      this.#hijack,
      new GuessingDetection(options),
      new AfterLogoutDetection(),
      new LoginBurstDetection(options),
      new PastAbsoluteDetection(),
      new UnissuedIdDetection(),
    ];
    const self = this;
    this.#context = {
      options,
      get startTime() {
        return self.#startTime ?? 0;
      },
      raise: (incident) => {
        if (this.#incidents.length >= MAX_INCIDENTS) {
          this.#suppressed++;
          return;
        }
        this.#incidents.push(incident);
        this.#onIncident(incident);
      },
      client: (entry, role, ref): IncidentClient => ({
        ip: entry.ip === null ? null : detach(entry.ip),
        userAgent: entry.userAgent === null ? null : detach(entry.userAgent),
        network: entry.ip === null ? null : this.#networkOf(entry.ip),
        family: this.#familyOf(entry.userAgent),
        role,
        firstSeen: entry.time,
        ref,
      }),
      describe: (entry, session) => describeEntry(entry, session === null ? null : this.#label(session)),
      label: (session) => this.#label(session),
      networkOf: (ip) => this.#networkOf(ip),
      familyOf: (ua) => this.#familyOf(ua),
    };
  }

  #networkOf(ip: string): string {
    let net = this.#networks.get(ip);
    if (net === undefined) {
      net = detach(networkOf(ip, this.#options.ipv4Prefix, this.#options.ipv6Prefix));
      if (this.#networks.size >= 50_000) this.#networks.clear();
      this.#networks.set(detach(ip), net);
    }
    return net;
  }

  #familyOf(userAgent: string | null): string | null {
    return userAgent === null ? null : this.#families.family(userAgent);
  }

  #label(session: SessionState): string {
    if (session.kind === "event") return session.key.slice(2);
    return session.key.startsWith("h:") ? session.key.slice(2) : shortHash(session.key);
  }

  /** Starts a new input; lines that follow belong to it. */
  beginFile(file: string): FileStats {
    const stats: FileStats = {
      file,
      format: this.#format === "auto" ? null : this.#format,
      lines: 0,
      requests: 0,
      events: 0,
      malformed: 0,
      tooLong: 0,
      bytes: 0,
      error: null,
      note: null,
    };
    this.#files.push(stats);
    this.#current = stats;
    return stats;
  }

  /** Makes `stats` the file the next lines belong to (several followed files interleave). */
  switchTo(stats: FileStats): void {
    this.#current = stats;
  }

  /** A line longer than `maxLineBytes`: counted, not parsed. */
  tooLong(lineNumber: number): void {
    const f = this.#file();
    f.lines++;
    f.tooLong++;
    f.malformed++;
    if (this.#samples.length < MAX_MALFORMED_SAMPLES) {
      this.#samples.push({
        file: f.file,
        line: lineNumber,
        text: `(a line longer than ${this.#options.maxLineBytes} bytes, skipped)`,
      });
    }
  }

  /** Reads one line (without its newline) at 1-based `lineNumber` of the current file. */
  line(text: string, lineNumber: number): void {
    const f = this.#file();
    f.lines++;
    if (text.length === 0 || (text.length < 3 && text.trim() === "")) return;
    if (f.format === null) f.format = text.trimStart().startsWith("{") ? "jsonl" : "combined";
    const entry = f.format === "combined" ? this.#combined.read(text) : this.#jsonl.read(text);
    if (entry === null) {
      if (text.trim() === "") return;
      f.malformed++;
      if (this.#samples.length < MAX_MALFORMED_SAMPLES)
        this.#samples.push({ file: f.file, line: lineNumber, text: redactLine(text) });
      return;
    }
    if (entry.kind === "event") f.events++;
    else f.requests++;
    this.#observe(entry, { file: f.file, line: lineNumber });
  }

  /** Ends the current file: adds a hint when most lines did not parse. */
  endFile(): void {
    const f = this.#current;
    if (f === null) return;
    const parsed = f.requests + f.events;
    if (f.malformed > 0 && f.malformed >= (parsed + f.malformed) * WRONG_FORMAT_RATIO && f.note === null) {
      const sample = this.#samples.find((s) => s.file === f.file);
      const looksJson = sample?.text.trimStart().startsWith("{") === true;
      const looks = looksJson ? "jsonl" : "combined";
      f.note =
        f.format !== null && looks !== f.format
          ? `${f.malformed} of ${parsed + f.malformed} lines did not parse as ${f.format}; they look like ${looks}: try --log-format ${looks} or auto`
          : `${f.malformed} of ${parsed + f.malformed} lines did not parse as ${f.format ?? "a log"}; check the log format (docs/monitoring.md)`;
    }
  }

  #file(): FileStats {
    return this.#current ?? this.beginFile("-");
  }

  #observe(entry: LogEntry, ref: LineRef): void {
    const t = entry.time;
    this.#startTime ??= t;
    this.#lastTime = t;
    if (t > this.#watermark) {
      this.#watermark = t;
      if (t - this.#lastSweep >= 1000) {
        this.#lastSweep = t;
        this.#sessions.sweep(t);
        this.#eventSessions.sweep(t);
        for (const d of this.#detections) d.sweep?.(t);
      }
    }
    let session: SessionState | null = null;
    let previous: SessionState | null = null;
    let isNew = false;
    let previousIsNew = false;
    let refused = false;
    if (entry.kind === "request") {
      refused = entry.status !== null && this.#options.rejectedStatuses.includes(entry.status);
      const value = entry.session;
      if (value !== null) {
        const key = value.length > 128 ? `h:${shortHash(value)}` : value;
        // (Detached only when a new session is stored: see detach-string.ts.)
        session = this.#sessions.get(key) ?? null;
        if (session === null) {
          const kept = detach(key);
          session = newSession(kept, "request", t);
          this.#sessions.add(kept, session);
          isNew = true;
        }
      }
    } else if (entry.event !== undefined) {
      const ev = entry.event;
      if (entry.session !== null) {
        const r = this.#eventSession(entry.session, t);
        session = r.session;
        isNew = r.isNew;
      }
      if (ev.previousSid !== null) {
        const r = this.#eventSession(ev.previousSid, t);
        previous = r.session;
        previousIsNew = r.isNew;
      }
      if (session !== null && (ev.type === "created" || ev.type === "authenticated" || ev.type === "rotated")) {
        session.issued = true;
        // A rotation keeps the session and its absolute deadline; a login starts a new one.
        if (ev.type === "rotated" && previous !== null) {
          session.origin = Math.min(session.origin, previous.origin);
          session.originKey = previous.originKey;
        } else if (isNew) session.origin = t;
      }
    }
    const observation: Observation = { entry, ref, session, previous, isNew, previousIsNew, refused };
    for (const d of this.#detections) d.observe(observation, this.#context);
    if (previous !== null && session !== null && entry.event?.type === "rotated") {
      // A rotation continues the session: its incidents continue under the new id.
      session.pastAbsolute ??= previous.pastAbsolute;
      session.hijack ??= previous.hijack;
      session.afterLogout ??= previous.afterLogout;
      session.loggedOut ??= previous.loggedOut;
    }
    if (session !== null) {
      session.lastSeen = t;
      if (!refused) session.ok = true;
    }
    if (previous !== null) previous.lastSeen = t;
  }

  #eventSession(sid: string, t: number): { session: SessionState; isNew: boolean } {
    const key = `e:${sid.slice(0, 128)}`;
    const found = this.#eventSessions.get(key);
    if (found !== undefined) return { session: found, isNew: false };
    const kept = detach(key);
    const session = newSession(kept, "event", t);
    this.#eventSessions.add(kept, session);
    return { session, isNew: true };
  }

  /** Incidents raised so far (open ones may still grow). */
  get incidents(): readonly Incident[] {
    return this.#incidents;
  }

  /** Ends the run: closes every incident and returns the analysis. */
  finish(): LogAnalysis {
    this.#sessions.clear();
    this.#eventSessions.clear();
    for (const d of this.#detections) d.finish?.();
    for (const i of this.#incidents) i.open = false;
    return this.snapshot();
  }

  /** The analysis so far, without closing anything (`--follow` writes it on each incident). */
  snapshot(): LogAnalysis {
    return {
      incidents: [...this.#incidents],
      files: this.#files.map((f) => ({ ...f })),
      malformedSamples: [...this.#samples],
      cookieName: this.#cookie.name,
      firstTime: this.#startTime,
      lastTime: this.#lastTime,
      suppressed: { weakHijack: this.#hijack.weakSuppressed, incidents: this.#suppressed },
      state: {
        peakSessions: this.#sessions.peak,
        peakEventSessions: this.#eventSessions.peak,
        forcedEvictions: this.#sessions.forced + this.#eventSessions.forced,
      },
      options: this.#options,
    };
  }
}

function newSession(key: string, kind: "request" | "event", t: number): SessionState {
  return {
    key,
    kind,
    lastSeen: t,
    placed: t,
    origin: t,
    originKey: key,
    issued: false,
    owner: null,
    ok: false,
    loggedOut: null,
    hijack: null,
    afterLogout: null,
    pastAbsolute: null,
    unissued: null,
  };
}
