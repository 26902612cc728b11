import { test } from "vitest";
import { LogAnalyzer } from "../src/logs/analyzer.js";
import { DEFAULT_LOG_OPTIONS } from "../src/logs/options.js";
import { shortHash } from "../src/logs/short-hash.js";
import { HOUR, Traffic, toCombined, toEventLine } from "./helpers/log-traffic.js";

test("try", () => {
  const t = new Traffic({ seed: 1, sessions: 3000, start: Date.UTC(2026, 10, 2), spanMs: 16 * HOUR, plant: true });
  let n = 0, bytes = 0, last = 0, unordered = 0;
  const a = new LogAnalyzer(DEFAULT_LOG_OPTIONS, "auto");
  a.beginFile("access.log");
  const t0 = performance.now();
  for (const r of t.records()) { n++; const l = toCombined(r); bytes += l.length; if (r.time < last) unordered++; last = r.time; a.line(l, n); }
  const res = a.finish();
  console.log({ n, bytes, unordered, ms: performance.now() - t0, files: res.files, state: res.state, sup: res.suppressed });
  for (const i of res.incidents) console.log(i.detection, i.severity, i.grade, i.session, i.clients.map(c=>c.ip).join(","), i.account, i.lines, JSON.stringify(i.facts));
  console.log(t.planted.map(p => `${p.detection} ${p.session ? shortHash(p.session) : ""} ${p.ip ?? ""} ${p.account ?? ""}`));
  const b = new LogAnalyzer(DEFAULT_LOG_OPTIONS, "auto");
  b.beginFile("events.log");
  let k = 0;
  for (const e of t.events()) b.line(toEventLine(e), ++k);
  const r2 = b.finish();
  console.log(k, r2.files);
  for (const i of r2.incidents) console.log(i.detection, i.severity, i.grade, i.session, i.clients.map(c=>c.ip).join(","), i.account, i.lines, JSON.stringify(i.facts));
});
