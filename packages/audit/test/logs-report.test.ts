import { rmSync } from "node:fs";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, expect, test } from "vitest";
import { analyzeLogs } from "../src/logs/analyze-logs.js";
import type { LogAnalysis } from "../src/logs/analyzer.js";
import type { Incident } from "../src/logs/incident.js";
import { shortHash } from "../src/logs/short-hash.js";
import { logReport, timelineOf } from "../src/logs/to-report.js";
import { renderReport } from "../src/report/index.js";
import { timelineChart } from "../src/report/lib/timeline.js";
import { Redactor, redactReport } from "../src/report/redact.js";
import { tempDir } from "./helpers/cli.js";
import { type TrafficLogs, writeTrafficLogs } from "./helpers/log-files.js";

let dir: string;
let logs: TrafficLogs;
let analysis: LogAnalysis;

beforeAll(async () => {
  dir = tempDir("sg-logs-report-");
  logs = await writeTrafficLogs(dir, { sessions: 400, plant: true });
  analysis = await analyzeLogs([logs.combined, logs.events]);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("one finding per incident, with short hash, clients, window, file:line evidence and a response", () => {
  const report = logReport(analysis, {
    files: [logs.combined, logs.events],
    startedAt: new Date(0),
    finishedAt: new Date(1000),
    verification: "npx sessionguard logs access.log",
  });
  expect(report.findings).toHaveLength(analysis.incidents.length);
  const victim = shortHash(logs.planted[0]?.session as string);
  const f = report.findings.find((x) => x.id === ("log-hijack" as never) && x.evidence.some((e) => e.includes(victim)));
  expect(f?.severity).toBe("high");
  expect(f?.evidence[0]).toMatch(/^Time window: 2026-11-02T02:00:00Z – /);
  expect(f?.evidence.filter((e) => e.startsWith("Client: "))).toHaveLength(2);
  expect(f?.evidence.some((e) => e.startsWith("access.log:") || /access\.log:\d+ /.test(e))).toBe(true);
  expect(f?.reproduce[0]).toMatch(/^sed -n '\d+p(;\d+p)*' /);
  expect(f?.recommendation).toMatch(/Revoke the session.*Block/s);
  expect(report.summary.risk).toBe("critical");
  const input = report.results.find((r) => r.id === ("log-input" as never));
  expect(input?.reason).toMatch(/session cookie sid/);
});

test("every format renders without a raw token, and the HTML carries the findings", () => {
  const report = redactReport(
    logReport(analysis, {
      files: [logs.combined],
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      verification: "npx sessionguard logs x",
    }),
    new Redactor(),
  );
  const tokens = new Set(logs.access.flatMap((r) => (r.cookie === null ? [] : [r.cookie])));
  for (const format of ["md", "html", "json", "sarif"] as const) {
    const text = renderReport(report, format);
    for (const t of tokens) if (text.includes(t)) throw new Error(`raw token in ${format}`);
    expect(text).toContain(shortHash(logs.planted[0]?.session as string));
  }
  // One timeline picture per incident in the HTML report.
  const page = renderReport(report, "html");
  expect(page.match(/<h4>Timeline<\/h4><svg /g)?.length).toBe(report.findings.length);
});

test("the timeline SVG is well-formed, escapes hostile agents and shows one dot per evidence line", () => {
  for (const incident of analysis.incidents) {
    const svg = timelineChart(timelineOf(incident), incident.detection);
    expect(XMLValidator.validate(svg), incident.detection).toBe(true);
    expect(svg.match(/<circle /g)?.length ?? 0).toBe(incident.evidence.length);
  }
  const hostile: Incident = {
    detection: "log-hijack",
    severity: "high",
    confidence: "firm",
    grade: "network-and-agent",
    session: "0123456789abcdef",
    account: null,
    clients: [
      {
        ip: "203.0.113.9",
        userAgent: '<script>alert("x")</script>&',
        network: "203.0.113.0/24",
        family: "<script>&\"'",
        role: "other",
        firstSeen: 0,
        ref: { file: "a<b>.log", line: 1 },
      },
    ],
    start: 0,
    end: 0,
    evidence: [{ file: "a<b>.log", line: 1, time: 0, text: "x", client: 0 }],
    lines: 1,
    facts: {},
    open: false,
  };
  const svg = timelineChart(timelineOf(hostile), "<script>title</script>");
  expect(XMLValidator.validate(svg)).toBe(true);
  expect(svg).not.toContain("<script>");
});
