import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { analyzeLogs } from "../src/logs/analyze-logs.js";
import { type LogAnalysis, LogAnalyzer } from "../src/logs/analyzer.js";
import type { Incident } from "../src/logs/incident.js";
import { DEFAULT_LOG_OPTIONS } from "../src/logs/options.js";
import { shortHash } from "../src/logs/short-hash.js";
import { tempDir } from "./helpers/cli.js";
import { type TrafficLogs, writeTrafficLogs } from "./helpers/log-files.js";
import type { Planted } from "./helpers/log-traffic.js";

// Thousands of users over 16 hours, with NAT addresses, roaming phones, browser updates,
// two-device users, expired sessions and crawlers; plus one planted incident of each kind.
const SESSIONS = 2500;

let dir: string;
let planted: TrafficLogs;
let normal: TrafficLogs;

beforeAll(async () => {
  dir = tempDir("sg-logs-");
  planted = await writeTrafficLogs(`${dir}`, { sessions: SESSIONS, plant: true });
  const normalDir = tempDir("sg-logs-normal-");
  normal = await writeTrafficLogs(normalDir, { sessions: SESSIONS, plant: false, seed: 11 });
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The incident matching a planted one: same detection and same session (hashed), client or account. */
function matching(incidents: readonly Incident[], p: Planted, hashed: boolean): Incident | undefined {
  return incidents.find((i) => {
    if (i.detection !== p.detection || i.severity === "info") return false;
    // A rotated library session keeps its first public id as `startedAs`.
    if (p.session !== undefined)
      return [i.session, i.facts.startedAs].includes(hashed ? shortHash(p.session) : p.session);
    if (p.account !== undefined) return i.account === p.account && i.facts.scope === "account";
    return i.clients.some((c) => c.ip === p.ip);
  });
}

function aboveInfo(a: LogAnalysis): Incident[] {
  return a.incidents.filter((i) => i.severity !== "info");
}

describe.each([
  ["combined", (l: TrafficLogs) => l.combined, "combined"],
  ["jsonl", (l: TrafficLogs) => l.jsonl, "jsonl"],
  ["gzip", (l: TrafficLogs) => l.gzip, "combined"],
] as const)("access log as %s", (_name, pick, format) => {
  test("finds every planted incident, each once, with its evidence", async () => {
    const analysis = await analyzeLogs([pick(planted)]);
    expect(analysis.files[0]?.format).toBe(format);
    expect(analysis.files[0]?.malformed).toBe(0);
    expect(analysis.files[0]?.requests).toBe(planted.access.length);
    for (const p of planted.planted) {
      const found = matching(analysis.incidents, p, true);
      expect(found, `${p.detection} ${p.session ?? p.ip ?? p.account}`).toBeDefined();
      expect(found?.evidence.length).toBeGreaterThan(0);
      for (const e of found?.evidence ?? []) expect(e.line).toBeGreaterThan(0);
      // One incident per planted session or client, however many lines it spans.
      const same = analysis.incidents.filter(
        (i) =>
          i.detection === p.detection &&
          i.session === found?.session &&
          i.account === found?.account &&
          i.clients[0]?.ip === found?.clients[0]?.ip,
      );
      expect(same).toHaveLength(1);
    }
    // The planted hijack is graded strongest; the attacker's client is listed beside the owner.
    const hijack = matching(analysis.incidents, planted.planted[0] as Planted, true);
    expect(hijack?.grade).toBe("network-and-agent");
    expect(hijack?.clients.map((c) => c.ip)).toEqual(["198.51.100.23", "203.0.113.77"]);
    // Nothing else above info: every high/medium incident belongs to a planted one.
    const plantedSessions = new Set(
      planted.planted.flatMap((p) => (p.session === undefined ? [] : [shortHash(p.session)])),
    );
    const plantedIps = new Set(planted.planted.flatMap((p) => (p.ip === undefined ? [] : [p.ip])));
    for (const i of aboveInfo(analysis)) {
      const ours =
        (i.session !== null && plantedSessions.has(i.session)) ||
        i.clients.some((c) => c.ip !== null && plantedIps.has(c.ip)) ||
        i.account === "carol";
      expect(ours, `unexpected ${i.detection} ${i.severity} ${i.session} ${i.clients.map((c) => c.ip)}`).toBe(true);
    }
  });

  test("raises nothing above info on ordinary traffic", async () => {
    const analysis = await analyzeLogs([pick(normal)]);
    expect(analysis.files[0]?.requests).toBe(normal.access.length);
    expect(aboveInfo(analysis)).toEqual([]);
    // Roaming phones are seen, but only as weak (info) hijack signals.
    const weak = analysis.incidents.filter((i) => i.detection === "log-hijack");
    expect(weak.length).toBeGreaterThan(0);
    for (const i of weak) expect(i.grade).not.toBe("network-and-agent");
  });
});

describe("library event log", () => {
  test("finds every planted incident, log-unissued-id included", async () => {
    const analysis = await analyzeLogs([planted.events]);
    expect(analysis.files[0]?.events).toBe(planted.eventRecords.length);
    for (const p of planted.plantedEvents) {
      expect(matching(analysis.incidents, p, false), `${p.detection} ${p.session ?? p.ip}`).toBeDefined();
    }
    // The rotation chain of the long-lived session is one incident, not one per rotation.
    expect(analysis.incidents.filter((i) => i.detection === "log-past-absolute")).toHaveLength(1);
    expect(aboveInfo(analysis)).toHaveLength(planted.plantedEvents.length);
  });

  test("raises nothing above info on ordinary traffic", async () => {
    const analysis = await analyzeLogs([normal.events]);
    expect(analysis.files[0]?.events).toBe(normal.eventRecords.length);
    expect(aboveInfo(analysis)).toEqual([]);
  });
});

test("access and event logs in one run, stdin among them", async () => {
  const { Readable } = await import("node:stream");
  const { readFileSync } = await import("node:fs");
  const stdin = Readable.from([readFileSync(planted.events)]);
  const analysis = await analyzeLogs([planted.combined, "-"], { stdin });
  expect(analysis.files.map((f) => [f.file, f.format])).toEqual([
    [planted.combined, "combined"],
    ["-", "jsonl"],
  ]);
  const detections = new Set(aboveInfo(analysis).map((i) => i.detection));
  expect([...detections].sort()).toEqual([
    "log-after-logout",
    "log-guessing",
    "log-hijack",
    "log-login-burst",
    "log-past-absolute",
    "log-unissued-id",
  ]);
});

describe("log-guessing tells an office from a guesser", () => {
  const line = (
    i: number,
    path: string,
    status: number,
    cookie: string | null,
    ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0 Safari/537.36",
  ) =>
    `100.64.9.9 - - [02/Nov/2026:08:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")} +0000] "GET ${path} HTTP/1.1" ${status} 10 "-" "${ua}" "${cookie === null ? "-" : `sid=${cookie}`}"`;

  function run(lines: string[]): LogAnalysis {
    const a = new LogAnalyzer(DEFAULT_LOG_OPTIONS, "combined");
    a.beginFile("office.log");
    for (const [n, l] of lines.entries()) a.line(l, n + 1);
    return a.finish();
  }

  test("30 users refused once each with stale cookies, then signed in: no incident", () => {
    const lines: string[] = [];
    for (let u = 0; u < 30; u++) {
      lines.push(line(u * 6, "/account", 401, `stale-cookie-of-user-${u}-0000000000`));
      lines.push(line(u * 6 + 3, "/account", 200, `fresh-cookie-of-user-${u}-0000000000`));
    }
    expect(run(lines).incidents).toEqual([]);
  });

  test("the same 30 refusals without any accepted session: guessing", () => {
    const lines = Array.from({ length: 30 }, (_, u) =>
      line(u * 6, "/account", 401, `guessed-cookie-number-${u}-000000000`),
    );
    const a = run(lines);
    expect(a.incidents.map((i) => [i.detection, i.severity, i.clients[0]?.ip])).toEqual([
      ["log-guessing", "high", "100.64.9.9"],
    ]);
  });
});
