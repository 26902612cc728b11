import { SESSION_EVENT_TYPES } from "sessionguard";
import { parseAnyTime } from "./clf-time.js";
import type { EventType, LogEntry } from "./log-entry.js";
import type { FieldMap } from "./options.js";
import type { SessionCookiePicker } from "./session-cookie.js";

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(SESSION_EVENT_TYPES);

type Json = Record<string, unknown>;

function get(obj: Json, path: string): unknown {
  if (path.indexOf(".") < 0 || path in obj) return obj[path];
  let value: unknown = obj;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Json)[part];
  }
  return value;
}

function first(obj: Json, paths: readonly string[]): unknown {
  for (const path of paths) {
    const value = get(obj, path);
    if (value !== undefined && value !== null && value !== "" && value !== "-") return value;
  }
  return undefined;
}

function text(value: unknown): string | null {
  if (typeof value === "string") return value === "" || value === "-" ? null : value;
  if (typeof value === "number") return String(value);
  return null;
}

/**
 * True for a sessionguard library event line (SPEC L12, `jsonLinesLogger`):
 * `source: "sessionguard"`, or a known `type` with `at` and `sid` keys.
 */
export function isLibraryEvent(obj: Json): boolean {
  if (obj.source === "sessionguard") return true;
  return typeof obj.type === "string" && EVENT_TYPES.has(obj.type) && "at" in obj && "sid" in obj;
}

/**
 * Reads JSON lines: nginx `escape=json` access lines (SPEC §3 names, or the
 * `--config` field mapping) and the library's own event lines, which may be
 * mixed in one file.
 */
export class JsonLinesReader {
  readonly #fields: FieldMap;
  readonly #cookie: SessionCookiePicker;
  readonly #cookieFields: string[] = [];
  #cookieFieldsFor: string | null = null;

  constructor(fields: FieldMap, cookie: SessionCookiePicker) {
    this.#fields = fields;
    this.#cookie = cookie;
  }

  /** Parses one line; `null` when it is not a JSON object with a time. */
  read(line: string): LogEntry | null {
    if (line.charCodeAt(0) !== 123) {
      const trimmed = line.trim();
      if (trimmed.charCodeAt(0) !== 123) return null;
      line = trimmed;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      return null;
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return null;
    const o = obj as Json;
    return isLibraryEvent(o) ? this.#event(o) : this.#request(o);
  }

  #event(o: Json): LogEntry | null {
    const time = parseAnyTime(o.at);
    const type = o.type;
    if (time === null || typeof type !== "string" || !EVENT_TYPES.has(type)) return null;
    return {
      kind: "event",
      time,
      ip: text(o.ip),
      userAgent: text(o.userAgent),
      user: text(o.userId),
      method: null,
      path: null,
      status: null,
      session: text(o.sid),
      event: { type: type as EventType, reason: text(o.reason), previousSid: text(o.previousSid) },
    };
  }

  #request(o: Json): LogEntry | null {
    const f = this.#fields;
    const time = parseAnyTime(first(o, f.time));
    if (time === null) return null;
    let method = text(first(o, f.method));
    let path = text(first(o, f.path));
    const request = text(first(o, f.request));
    if (request !== null && (method === null || path === null)) {
      const parts = request.split(" ");
      method ??= parts[0] ?? null;
      path ??= parts[1] ?? null;
    }
    const statusValue = first(o, f.status);
    const status = statusValue === undefined ? null : Number(statusValue);
    return {
      kind: "request",
      time,
      ip: text(first(o, f.ip)),
      userAgent: text(first(o, f.userAgent)),
      user: text(first(o, f.user)),
      method,
      path,
      status: status !== null && Number.isInteger(status) ? status : null,
      session: this.#session(o),
    };
  }

  #session(o: Json): string | null {
    const direct = text(first(o, this.#fields.session));
    if (direct !== null) return this.#cookie.pick(direct);
    // nginx `$cookie_<name>`: a field per cookie.
    const name = this.#cookie.name;
    if (name !== null) {
      if (this.#cookieFieldsFor !== name) {
        this.#cookieFieldsFor = name;
        this.#cookieFields.length = 0;
        this.#cookieFields.push(`cookie_${name}`, `cookie_${name.replace(/[^\w]/g, "_")}`);
      }
      const value = text(first(o, this.#cookieFields));
      if (value !== null) return value;
    } else {
      for (const key in o) {
        if (key.startsWith("cookie_") && key !== "cookie_") {
          const value = text(o[key]);
          if (value !== null) return value;
        }
      }
    }
    const header = text(first(o, this.#fields.cookieHeader));
    return header === null ? null : this.#cookie.pick(header);
  }
}
