import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, expect, test } from "vitest";
import { analyzeLogs } from "../src/logs/analyze-logs.js";
import { tempDir } from "./helpers/cli.js";
import { HOUR, Traffic, toCombined } from "./helpers/log-traffic.js";

const dir = tempDir("sg-logs-bad-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const START = Date.UTC(2026, 10, 2);
const lines = [...new Traffic({ seed: 3, sessions: 300, start: START, spanMs: 16 * HOUR, plant: true }).records()].map(
  toCombined,
);
const text = `${lines.join("\n")}\n`;

test("a truncated gzip: the lines before the cut are read, the cut is reported, nothing throws", async () => {
  const gz = gzipSync(Buffer.from(text));
  const path = join(dir, "cut.log.gz");
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
  const a = await analyzeLogs([path]);
  const f = a.files[0];
  expect(f?.error).toMatch(/truncated gzip/);
  expect(f?.requests).toBeGreaterThan(lines.length / 10);
  expect(f?.requests).toBeLessThan(lines.length);
  // At most the one line cut in the middle is malformed.
  expect(f?.malformed).toBeLessThanOrEqual(1);
});

test("binary garbage is counted as malformed lines and quoted without raw bytes", async () => {
  const path = join(dir, "garbage.log");
  const garbage = randomBytes(200_000);
  writeFileSync(path, Buffer.concat([Buffer.from(`${lines.slice(0, 50).join("\n")}\n`), garbage]));
  const a = await analyzeLogs([path]);
  const f = a.files[0];
  expect(f?.requests).toBe(50);
  expect(f?.malformed).toBeGreaterThan(0);
  expect(f?.error).toBeNull();
  for (const s of a.malformedSamples) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that no control byte leaks into the report.
    expect(s.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(s.text.length).toBeLessThan(220);
  }
});

test("a 10 MB single line is counted as too long, skipped without buffering, and the next lines still parse", async () => {
  const path = join(dir, "long.log");
  writeFileSync(path, `${lines[0]}\n${"x".repeat(10 * 1024 * 1024)}\n${lines.slice(1, 100).join("\n")}\n`);
  const a = await analyzeLogs([path]);
  const f = a.files[0];
  expect(f?.tooLong).toBe(1);
  expect(f?.malformed).toBe(1);
  expect(f?.requests).toBe(100);
  expect(f?.lines).toBe(101);
  expect(a.malformedSamples[0]).toMatchObject({ line: 2 });
});

test("a wrong --log-format is counted, never fatal, and the report says which format the lines look like", async () => {
  const jsonl = join(dir, "events.jsonl");
  writeFileSync(
    jsonl,
    `${JSON.stringify({ type: "created", at: new Date(START).toISOString(), sid: "abc", userId: null, source: "sessionguard" })}\n`.repeat(
      20,
    ),
  );
  const a = await analyzeLogs([jsonl], { format: "combined" });
  expect(a.files[0]).toMatchObject({ format: "combined", malformed: 20, requests: 0, events: 0 });
  expect(a.files[0]?.note).toMatch(/look like jsonl.*--log-format jsonl/);
  const combined = join(dir, "plain.log");
  writeFileSync(combined, text);
  const b = await analyzeLogs([combined], { format: "jsonl" });
  expect(b.files[0]?.malformed).toBe(lines.length);
  expect(b.files[0]?.note).toMatch(/look like combined/);
  expect(b.incidents).toEqual([]);
});

test("an empty file and a blank-line file read as zero lines of nothing, no error", async () => {
  const empty = join(dir, "empty.log");
  writeFileSync(empty, "");
  const blank = join(dir, "blank.log");
  writeFileSync(blank, "\n\n\r\n");
  const a = await analyzeLogs([empty, blank]);
  expect(a.files.map((f) => [f.requests, f.malformed, f.error])).toEqual([
    [0, 0, null],
    [0, 0, null],
  ]);
  expect(a.incidents).toEqual([]);
});

test("a file that does not exist is reported in the analysis, and the other files are still read", async () => {
  const good = join(dir, "good.log");
  writeFileSync(good, text);
  const a = await analyzeLogs([join(dir, "missing.log"), good]);
  expect(a.files[0]?.error).toBe("does not exist");
  expect(a.files[1]?.requests).toBe(lines.length);
});

test("CRLF line ends and a last line without a newline are read", async () => {
  const path = join(dir, "crlf.log");
  writeFileSync(path, lines.slice(0, 10).join("\r\n"));
  const a = await analyzeLogs([path]);
  expect(a.files[0]).toMatchObject({ requests: 10, malformed: 0 });
  expect(readFileSync(path, "utf8").endsWith("\n")).toBe(false);
});
