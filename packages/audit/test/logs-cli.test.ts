import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { DETECTION_IDS } from "../src/logs/options.js";
import { shortHash } from "../src/logs/short-hash.js";
import { CLI, requireBuild, runCli, tempDir } from "./helpers/cli.js";
import { LOG_START, type TrafficLogs, writeTrafficLogs } from "./helpers/log-files.js";
import { toCombined } from "./helpers/log-traffic.js";

let dir: string;
let logs: TrafficLogs;
let clean: TrafficLogs;

beforeAll(async () => {
  requireBuild();
  dir = tempDir("sg-logs-cli-");
  logs = await writeTrafficLogs(dir, { sessions: 800, plant: true });
  clean = await writeTrafficLogs(tempDir("sg-logs-cli-clean-"), { sessions: 800, plant: false, seed: 5 });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function noRawToken(text: string, tokens: readonly (string | null)[]): void {
  for (const t of tokens) if (t !== null) expect(text.includes(t), "a raw session token leaked").toBe(false);
}

describe("sessionguard logs (built CLI)", () => {
  test("planted incidents: exit 1, four report files, one finding per incident, no raw token anywhere", async () => {
    const out = join(dir, "report");
    const run = await runCli(["logs", logs.combined, logs.events, "--out", out, "--format", "md,html,json,sarif"]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(["report.html", "report.json", "report.md", "report.sarif"]);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    const ids = new Set(
      report.findings.filter((f: { severity: string }) => f.severity !== "info").map((f: { id: string }) => f.id),
    );
    expect([...ids].sort()).toEqual([...DETECTION_IDS].sort());
    const victim = shortHash(logs.planted[0]?.session as string);
    const hijack = report.findings.find(
      (f: { id: string; evidence: string[] }) => f.id === "log-hijack" && f.evidence.some((e) => e.includes(victim)),
    );
    expect(hijack.severity).toBe("high");
    expect(hijack.evidence.some((e: string) => /access\.log:\d+ /.test(e))).toBe(true);
    expect(hijack.evidence.some((e: string) => e.startsWith("Time window: "))).toBe(true);
    expect(hijack.recommendation).toMatch(/Revoke the session/);
    expect(report.results.map((r: { id: string }) => r.id)).toEqual([...DETECTION_IDS, "log-input"]);
    const tokens = logs.access.map((r) => r.cookie);
    for (const file of readdirSync(out)) noRawToken(readFileSync(join(out, file), "utf8"), tokens);
    noRawToken(run.stdout + run.stderr, tokens);
    // Incidents are announced on stderr as they are raised.
    expect(run.stderr).toMatch(new RegExp(`! log-hijack high session ${victim}`));
  });

  test("ordinary traffic: exit 0 (info signals do not fail the run)", async () => {
    const run = await runCli([
      "logs",
      clean.combined,
      clean.jsonl,
      clean.events,
      "--out",
      join(dir, "clean"),
      "--quiet",
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const report = JSON.parse(readFileSync(join(dir, "clean", "report.json"), "utf8"));
    expect(report.summary.risk).toBe("none");
  });

  test("--fail-on medium turns a medium-only log into exit 1; --fail-on none always exits 0", async () => {
    const only = join(dir, "burst.log");
    writeFileSync(
      only,
      `${logs.access
        .filter((r) => r.path === "/login" && r.status === 401)
        .map(toCombined)
        .join("\n")}\n`,
    );
    expect((await runCli(["logs", only, "--out", join(dir, "b1"), "--quiet"])).code).toBe(0);
    expect((await runCli(["logs", only, "--out", join(dir, "b2"), "--quiet", "--fail-on", "medium"])).code).toBe(1);
    expect((await runCli(["logs", logs.combined, "--out", join(dir, "b3"), "--quiet", "--fail-on", "none"])).code).toBe(
      0,
    );
  });

  test("stdin and --out - with one format: only the report on stdout", async () => {
    const run = await runCli(["logs", "-", "--out", "-", "--format", "json", "--quiet"], {
      stdin: readFileSync(logs.events, "utf8"),
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings.some((f: { id: string }) => f.id === "log-unissued-id")).toBe(true);
  });

  test("usage errors exit 2 with a message that says what to change, never a stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["logs"], /name at least one log file/],
      [["logs", logs.combined, "--log-format", "xml"], /--log-format must be combined, jsonl or auto/],
      [["logs", join(dir, "nope.log")], /does not exist/],
      [["logs", logs.combined, "--format", "pdf"], /unknown format/],
      [["logs", logs.combined, "--fail-on", "urgent"], /--fail-on must be one of/],
      [["logs", logs.combined, "--export", "splunk", "x"], /--export sigma DIR/],
      [["logs", logs.combined, "--cookie", "a b"], /--cookie must be a cookie name/],
    ];
    const badConfig = join(dir, "bad.json");
    writeFileSync(badConfig, JSON.stringify({ logs: { guessing: { threshhold: 5 } } }));
    cases.push([["logs", logs.combined, "--config", badConfig], /logs\.guessing\.threshhold is not a known key/]);
    for (const [args, message] of cases) {
      const run = await runCli([...args, "--out", join(dir, "usage")]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test("--config thresholds apply: a lower guessing threshold finds a smaller burst", async () => {
    const small = join(dir, "small-guess.log");
    const guesses = logs.access.filter((r) => r.ip === "192.0.2.66").slice(0, 8);
    writeFileSync(small, `${guesses.map(toCombined).join("\n")}\n`);
    expect((await runCli(["logs", small, "--out", join(dir, "g1"), "--quiet"])).code).toBe(0);
    const config = join(dir, "guess.json");
    writeFileSync(config, JSON.stringify({ logs: { guessing: { threshold: 5, window: "2m" } } }));
    expect((await runCli(["logs", small, "--config", config, "--out", join(dir, "g2"), "--quiet"])).code).toBe(1);
  });

  test("--export sigma DIR writes one rule file per detection that parses back with the configured thresholds", async () => {
    const rules = join(dir, "sigma");
    const config = join(dir, "sigma.json");
    writeFileSync(config, JSON.stringify({ logs: { guessing: { threshold: 33, window: "7m" } } }));
    const run = await runCli(["logs", "--config", config, "--export", "sigma", rules]);
    expect(run.code).toBe(0);
    const files = readdirSync(rules).sort();
    expect(files).toEqual(DETECTION_IDS.map((id) => `sessionguard-${id}.yml`).sort());
    for (const file of files) {
      const docs = parseAllDocuments(readFileSync(join(rules, file), "utf8"));
      for (const d of docs) expect(d.errors).toEqual([]);
      const objects = docs.map((d) => d.toJS() as Record<string, unknown>);
      for (const o of objects) {
        expect(o.title).toEqual(expect.any(String));
        expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(o.correlation !== undefined || o.detection !== undefined).toBe(true);
      }
    }
    const guessing = parseAllDocuments(readFileSync(join(rules, "sessionguard-log-guessing.yml"), "utf8")).map((d) =>
      d.toJS(),
    );
    const corr = guessing.find((d) => d.correlation?.type === "value_count");
    expect(corr.correlation).toMatchObject({
      timespan: "7m",
      condition: { gte: 33, field: "cs-cookie" },
      "group-by": ["c-ip"],
    });
    // Every rule a correlation names is defined in the same file.
    for (const file of files) {
      const objects = parseAllDocuments(readFileSync(join(rules, file), "utf8")).map((d) => d.toJS());
      const names = new Set(objects.map((o) => o.name));
      for (const o of objects)
        for (const r of o.correlation?.rules ?? []) expect(names.has(r), `${file}: ${r}`).toBe(true);
    }
  });
});

describe("sessionguard logs --follow", () => {
  test("reports incidents as lines arrive, survives rotation and a vanished file, writes the report on SIGTERM", async () => {
    const fdir = tempDir("sg-logs-follow-");
    const path = join(fdir, "access.log");
    const out = join(fdir, "report");
    writeFileSync(path, "");
    const child = spawn(process.execPath, [CLI, "logs", path, "--follow", "--out", out, "--format", "json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    const waiters: { re: RegExp; resolve: () => void }[] = [];
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const w of [...waiters]) {
        if (w.re.test(stderr)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    const until = (re: RegExp): Promise<void> =>
      re.test(stderr) ? Promise.resolve() : new Promise((resolve) => waiters.push({ re, resolve }));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const guesses = logs.access.filter((r) => r.ip === "192.0.2.66").map(toCombined);
    const hijack = logs.access.filter((r) => r.cookie === logs.planted[0]?.session).map(toCombined);
    // 1. Lines appended to the followed file.
    appendFileSync(path, `${guesses.join("\n")}\n`);
    await until(/! log-guessing high client 192\.0\.2\.66/);
    // 2. Rotation: the file is renamed away and a new one takes its place.
    renameSync(path, `${path}.1`);
    writeFileSync(path, `${hijack.join("\n")}\n`);
    await until(/! log-hijack high session /);
    // 3. The file disappears: following goes on, waiting for it.
    rmSync(path);
    await until(/disappeared; waiting/);
    writeFileSync(path, `${hijack.slice(0, 2).join("\n")}\n`);
    await until(/is back/);
    child.kill("SIGTERM");
    expect(await exited).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    expect(report.findings.map((f: { id: string }) => f.id).sort()).toEqual(["log-guessing", "log-hijack"]);
    expect(existsSync(`${path}.1`)).toBe(true);
    expect(LOG_START).toBeGreaterThan(0);
    rmSync(fdir, { recursive: true, force: true });
  }, 120_000);
});
