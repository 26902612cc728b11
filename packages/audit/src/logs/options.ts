import { parseDurationMs } from "../config/duration.js";

/** The six detection ids of SPEC §3 (CONTRACT). */
export const DETECTION_IDS = [
  "log-hijack",
  "log-guessing",
  "log-after-logout",
  "log-login-burst",
  "log-past-absolute",
  "log-unissued-id",
] as const;

/** One of {@link DETECTION_IDS}. */
export type DetectionId = (typeof DETECTION_IDS)[number];

/** JSON-lines field names, as dotted paths into each object (`--config` `logs.fields`). */
export interface FieldMap {
  readonly ip: readonly string[];
  readonly time: readonly string[];
  readonly request: readonly string[];
  readonly method: readonly string[];
  readonly path: readonly string[];
  readonly status: readonly string[];
  readonly userAgent: readonly string[];
  readonly user: readonly string[];
  readonly session: readonly string[];
  readonly cookieHeader: readonly string[];
}

/**
 * Everything `analyzeLogs` can be tuned with. Durations are milliseconds.
 * Every default is chosen so that ordinary traffic raises nothing above info
 * (NAT, roaming phones, browser updates, crawlers, users with two devices);
 * `docs/monitoring.md` explains each one.
 */
export interface LogOptions {
  /** Session cookie name; `null` detects it from the log (default `null`). */
  readonly cookie: string | null;
  /** JSON-lines field names (nginx `escape=json` names by default). */
  readonly fields: FieldMap;
  /** Statuses that mean "this session id was refused" (default 401, 403, 419, 440). */
  readonly rejectedStatuses: readonly number[];
  /** A session's state is dropped after this long without a request (default 1 h). Bounds memory. */
  readonly sessionIdleMs: number;
  /** Hard cap on sessions kept at once; the least recently seen go first (default 1,000,000). */
  readonly maxSessions: number;
  /** Hard cap on clients and accounts kept in windows at once (default 200,000). */
  readonly maxClients: number;
  /** Lines longer than this are counted as malformed and skipped (default 1 MiB). */
  readonly maxLineBytes: number;
  /** IPv4 prefix length of "one network" (default 24). */
  readonly ipv4Prefix: number;
  /** IPv6 prefix length of "one network" (default 64). */
  readonly ipv6Prefix: number;
  readonly hijack: {
    /** Report the weaker signals (network only, or user agent only, changed) as info findings (default true). */
    readonly reportWeak: boolean;
    /** At most this many weak-signal (info) findings; the rest are counted (default 10). */
    readonly maxWeakFindings: number;
  };
  readonly guessing: {
    /** Distinct refused session ids from one client that make an incident (default 20). */
    readonly threshold: number;
    /** Sliding window (default 5 min). */
    readonly windowMs: number;
  };
  readonly afterLogout: {
    /** Logout requests: path regex (default `/logout`, `/signout`, `/sign-out`, `/log-out`). */
    readonly logoutPath: RegExp;
    /** Parallel in-flight requests of the logging-out browser are tolerated for this long (default 10 s). */
    readonly graceMs: number;
    /** Paths that answer 2xx to anyone, so they prove nothing (login pages, static assets, the home page). */
    readonly ignorePaths: RegExp;
  };
  readonly loginBurst: {
    /** Login requests: path regex (default `/login`, `/signin`, `/sign-in`, `/session(s)`, `/auth…`). */
    readonly loginPath: RegExp;
    /** Statuses of a failed login (default 401, 403, 422). */
    readonly failureStatuses: readonly number[];
    /** Failed logins from one client that make an incident (default 20). */
    readonly perClient: number;
    /** Failed logins against one account that make an incident (default 10)… */
    readonly perAccount: number;
    /** …coming from at least this many clients (default 3). */
    readonly perAccountClients: number;
    /** Sliding window (default 10 min). */
    readonly windowMs: number;
  };
  readonly pastAbsolute: {
    /** The absolute session lifetime (`policy.maxAbsolute`, default 12 h). */
    readonly maxAbsoluteMs: number;
    /** Slack for clock skew and in-flight requests (default 5 min). */
    readonly toleranceMs: number;
  };
}

/** nginx `escape=json` names (SPEC §3) and common variants. */
export const DEFAULT_FIELDS: FieldMap = {
  ip: ["remote_addr", "client_ip", "ip", "realip_remote_addr"],
  time: ["time_iso8601", "time_local", "time", "timestamp", "@timestamp", "msec"],
  request: ["request"],
  method: ["request_method", "method"],
  path: ["request_uri", "uri", "path", "url"],
  status: ["status", "status_code"],
  userAgent: ["http_user_agent", "user_agent", "userAgent"],
  user: ["remote_user", "user", "username"],
  session: ["sid", "session", "session_id"],
  cookieHeader: ["http_cookie", "cookie"],
};

/** The defaults (see each field). */
export const DEFAULT_LOG_OPTIONS: LogOptions = {
  cookie: null,
  fields: DEFAULT_FIELDS,
  rejectedStatuses: [401, 403, 419, 440],
  sessionIdleMs: 3_600_000,
  maxSessions: 1_000_000,
  maxClients: 200_000,
  maxLineBytes: 1 << 20,
  ipv4Prefix: 24,
  ipv6Prefix: 64,
  hijack: { reportWeak: true, maxWeakFindings: 10 },
  guessing: { threshold: 20, windowMs: 300_000 },
  afterLogout: {
    logoutPath: /(?:^|\/)(?:logout|log-out|signout|sign-out|sign_out|logoff)(?:[/?.]|$)/i,
    graceMs: 10_000,
    ignorePaths:
      /^\/(?:$|\?|(?:login|signin|sign-in|logout|signout|sign-out|static|assets|public|favicon\.ico|robots\.txt|health)(?:[/?.]|$))|\.(?:css|js|mjs|map|png|jpe?g|gif|svg|webp|ico|woff2?|ttf)(?:\?|$)/i,
  },
  loginBurst: {
    loginPath: /(?:^|\/)(?:login|log-in|signin|sign-in|sessions?|auth|authenticate)(?:[/?.]|$)/i,
    failureStatuses: [401, 403, 422],
    perClient: 20,
    perAccount: 10,
    perAccountClients: 3,
    windowMs: 600_000,
  },
  pastAbsolute: { maxAbsoluteMs: 12 * 3_600_000, toleranceMs: 300_000 },
};

/** Raised by {@link resolveLogOptions} for a wrong key; the message says what to change. */
export class LogOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogOptionsError";
  }
}

type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function section(raw: Raw, key: string, where: string): Raw {
  const value = raw[key];
  if (value === undefined) return {};
  if (!isObject(value)) throw new LogOptionsError(`${where}${key} must be an object`);
  return value;
}

function known(raw: Raw, keys: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!keys.includes(key)) {
      throw new LogOptionsError(`${where}${key} is not a known key; use one of ${keys.join(", ")}`);
    }
  }
}

function duration(raw: Raw, key: string, fallback: number, where: string): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  const ms = typeof value === "string" ? parseDurationMs(value) : null;
  if (ms === null) throw new LogOptionsError(`${where}${key} must be a duration such as "30s", "5m" or "12h"`);
  return ms;
}

function count(raw: Raw, key: string, fallback: number, where: string, min = 1): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new LogOptionsError(`${where}${key} must be a whole number of at least ${min}`);
  }
  return value;
}

function statuses(raw: Raw, key: string, fallback: readonly number[], where: string): readonly number[] {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || !value.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    throw new LogOptionsError(`${where}${key} must be a list of HTTP statuses, e.g. [401, 403]`);
  }
  return value as number[];
}

function regex(raw: Raw, key: string, fallback: RegExp, where: string): RegExp {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new LogOptionsError(`${where}${key} must be a regular expression string`);
  try {
    return new RegExp(value, "i");
  } catch {
    throw new LogOptionsError(`${where}${key} is not a valid regular expression`);
  }
}

function fields(raw: Raw): FieldMap {
  const keys = Object.keys(DEFAULT_FIELDS) as (keyof FieldMap)[];
  known(raw, keys, "logs.fields.");
  const out: Record<string, readonly string[]> = {};
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined) out[key] = DEFAULT_FIELDS[key];
    else if (typeof value === "string") out[key] = [value, ...DEFAULT_FIELDS[key]];
    else throw new LogOptionsError(`logs.fields.${key} must be a field name (dotted for nesting, e.g. "client.ip")`);
  }
  return out as unknown as FieldMap;
}

/**
 * Builds {@link LogOptions} from a parsed `--config` document: the audit's
 * `sessionCookie` and `policy.maxAbsolute`, plus a `logs` section (see
 * `docs/monitoring.md`). Unknown keys inside `logs` are errors, so a typo
 * never silently keeps a default.
 * @throws LogOptionsError naming the key and what it must be
 */
export function resolveLogOptions(config: unknown, cookie: string | null = null): LogOptions {
  if (config !== undefined && config !== null && !isObject(config)) {
    throw new LogOptionsError("the configuration must be a JSON object");
  }
  const root: Raw = config ?? {};
  const logs = section(root, "logs", "");
  known(
    logs,
    [
      "fields",
      "rejectedStatuses",
      "sessionIdle",
      "maxSessions",
      "maxClients",
      "maxLineBytes",
      "networkPrefix",
      "hijack",
      "guessing",
      "afterLogout",
      "loginBurst",
      "pastAbsolute",
    ],
    "logs.",
  );
  const policy = section(root, "policy", "");
  const d = DEFAULT_LOG_OPTIONS;
  const prefix = section(logs, "networkPrefix", "logs.");
  known(prefix, ["ipv4", "ipv6"], "logs.networkPrefix.");
  const hijack = section(logs, "hijack", "logs.");
  known(hijack, ["reportWeak", "maxWeakFindings"], "logs.hijack.");
  if (hijack.reportWeak !== undefined && typeof hijack.reportWeak !== "boolean") {
    throw new LogOptionsError("logs.hijack.reportWeak must be true or false");
  }
  const guessing = section(logs, "guessing", "logs.");
  known(guessing, ["threshold", "window"], "logs.guessing.");
  const afterLogout = section(logs, "afterLogout", "logs.");
  known(afterLogout, ["logoutPath", "grace", "ignorePaths"], "logs.afterLogout.");
  const burst = section(logs, "loginBurst", "logs.");
  known(
    burst,
    ["loginPath", "failureStatuses", "perClient", "perAccount", "perAccountClients", "window"],
    "logs.loginBurst.",
  );
  const past = section(logs, "pastAbsolute", "logs.");
  known(past, ["maxAbsolute", "tolerance"], "logs.pastAbsolute.");
  const sessionCookie = root.sessionCookie;
  if (sessionCookie !== undefined && typeof sessionCookie !== "string") {
    throw new LogOptionsError("sessionCookie must be the cookie's name, e.g. PHPSESSID");
  }
  return {
    cookie: cookie ?? (sessionCookie as string | undefined) ?? null,
    fields: fields(section(logs, "fields", "logs.")),
    rejectedStatuses: statuses(logs, "rejectedStatuses", d.rejectedStatuses, "logs."),
    sessionIdleMs: duration(logs, "sessionIdle", d.sessionIdleMs, "logs."),
    maxSessions: count(logs, "maxSessions", d.maxSessions, "logs.", 1000),
    maxClients: count(logs, "maxClients", d.maxClients, "logs.", 1000),
    maxLineBytes: count(logs, "maxLineBytes", d.maxLineBytes, "logs.", 1024),
    ipv4Prefix: count(prefix, "ipv4", d.ipv4Prefix, "logs.networkPrefix.", 8),
    ipv6Prefix: count(prefix, "ipv6", d.ipv6Prefix, "logs.networkPrefix.", 16),
    hijack: {
      reportWeak: (hijack.reportWeak as boolean | undefined) ?? d.hijack.reportWeak,
      maxWeakFindings: count(hijack, "maxWeakFindings", d.hijack.maxWeakFindings, "logs.hijack.", 0),
    },
    guessing: {
      threshold: count(guessing, "threshold", d.guessing.threshold, "logs.guessing.", 2),
      windowMs: duration(guessing, "window", d.guessing.windowMs, "logs.guessing."),
    },
    afterLogout: {
      logoutPath: regex(afterLogout, "logoutPath", d.afterLogout.logoutPath, "logs.afterLogout."),
      graceMs: duration(afterLogout, "grace", d.afterLogout.graceMs, "logs.afterLogout."),
      ignorePaths: regex(afterLogout, "ignorePaths", d.afterLogout.ignorePaths, "logs.afterLogout."),
    },
    loginBurst: {
      loginPath: regex(burst, "loginPath", d.loginBurst.loginPath, "logs.loginBurst."),
      failureStatuses: statuses(burst, "failureStatuses", d.loginBurst.failureStatuses, "logs.loginBurst."),
      perClient: count(burst, "perClient", d.loginBurst.perClient, "logs.loginBurst.", 2),
      perAccount: count(burst, "perAccount", d.loginBurst.perAccount, "logs.loginBurst.", 2),
      perAccountClients: count(burst, "perAccountClients", d.loginBurst.perAccountClients, "logs.loginBurst.", 1),
      windowMs: duration(burst, "window", d.loginBurst.windowMs, "logs.loginBurst."),
    },
    pastAbsolute: {
      maxAbsoluteMs: duration(
        past,
        "maxAbsolute",
        duration(policy, "maxAbsolute", d.pastAbsolute.maxAbsoluteMs, "policy."),
        "logs.pastAbsolute.",
      ),
      toleranceMs: duration(past, "tolerance", d.pastAbsolute.toleranceMs, "logs.pastAbsolute."),
    },
  };
}
