/**
 * `sessionguard logs` at production scale: a generated 1 GB combined log
 * (at least 500,000 sessions: ordinary users, NAT, roaming phones, crawlers,
 * plus one planted incident of each kind), analysed by the built CLI with
 * the full session correlation, next to GoAccess 1.7 parsing the same file,
 * in one run. Also measures line splitting alone (`node:readline` against
 * the engine's splitter) to justify the choice.
 *
 *   npx tsc -b packages/sessionguard packages/lab packages/audit
 *   npx vitest bench --run bench/logs.bench.ts
 *
 * Writes bench/results/logs.json. Goal: at least GoAccess's MB per
 * CPU-second with peak RSS under 300 MB. CPU seconds (user + system, from
 * `/usr/bin/time -v`) are the fair measure on a shared machine; wall-clock
 * figures and the load average are recorded beside them. The 1 GB file is
 * deleted afterwards. BENCH_LOG_MB sets another size for a quick look.
 */
import { execFile, spawn } from "node:child_process";
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { bench } from "vitest";
import { CHUNK_BYTES } from "../packages/audit/src/logs/line-source.js";
import { LineSplitter } from "../packages/audit/src/logs/line-splitter.js";
import { shortHash } from "../packages/audit/src/logs/short-hash.js";
import { HOUR, Traffic, toCombined } from "../packages/audit/test/helpers/log-traffic.js";

const TARGET_MB = Number(process.env.BENCH_LOG_MB ?? 1024);
const SESSIONS = Number(process.env.BENCH_LOG_SESSIONS ?? Math.max(1000, Math.round((TARGET_MB / 1024) * 600_000)));
const RESULTS = fileURLToPath(new URL("./results/logs.json", import.meta.url));
const CLI = fileURLToPath(new URL("../packages/audit/dist/cli/main.js", import.meta.url));
const GOACCESS_FORMAT = '%h %^[%d:%t %^] "%r" %s %b "%R" "%u" %^';
const run = promisify(execFile);

interface Timed {
  readonly userS: number;
  readonly systemS: number;
  readonly wallS: number;
  readonly maxRssMB: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command under GNU time -v and reads its CPU time, wall time and peak RSS. */
function timed(command: string, args: string[]): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-v", command, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const num = (re: RegExp): number => Number(re.exec(stderr)?.[1] ?? Number.NaN);
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
      const wallS = wall === null ? Number.NaN : Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
      resolve({
        userS: num(/User time \(seconds\): ([\d.]+)/),
        systemS: num(/System time \(seconds\): ([\d.]+)/),
        wallS,
        maxRssMB: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
        code: code ?? -1,
        stdout,
        stderr,
      });
    });
  });
}

async function generate(
  path: string,
): Promise<{ bytes: number; lines: number; sessions: number; planted: Traffic["planted"] }> {
  const traffic = new Traffic({
    seed: 2026,
    sessions: SESSIONS,
    start: Date.UTC(2026, 10, 2),
    spanMs: 22 * HOUR,
    plant: true,
    crawlers: 40,
    depth: 0.32,
  });
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let lines = 0;
  const cookies = new Set<string>();
  let batch: string[] = [];
  for (const r of traffic.records()) {
    const line = `${toCombined(r)}\n`;
    bytes += line.length;
    lines++;
    if (r.cookie !== null && cookies.size < 2_000_000) cookies.add(r.cookie);
    batch.push(line);
    if (batch.length >= 2000) {
      if (!out.write(batch.join(""))) await new Promise<void>((resolve) => out.once("drain", resolve));
      batch = [];
    }
  }
  out.write(batch.join(""));
  await new Promise<void>((resolve) => out.end(resolve));
  return { bytes, lines, sessions: cookies.size, planted: traffic.planted };
}

async function splitFast(path: string): Promise<{ lines: number; cpuS: number; wallS: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let lines = 0;
  const splitter = new LineSplitter(1 << 20, () => {
    lines++;
  });
  const decoder = new StringDecoder("utf8");
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }))
    splitter.push(decoder.write(chunk as Buffer));
  splitter.end();
  const cpu = process.cpuUsage(cpu0);
  return { lines, cpuS: (cpu.user + cpu.system) / 1e6, wallS: (performance.now() - t0) / 1000 };
}

async function splitReadline(path: string): Promise<{ lines: number; cpuS: number; wallS: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let lines = 0;
  const rl = createInterface({
    input: createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const _line of rl) lines++;
  const cpu = process.cpuUsage(cpu0);
  return { lines, cpuS: (cpu.user + cpu.system) / 1e6, wallS: (performance.now() - t0) / 1000 };
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;

bench(
  `logs: sessionguard logs vs GoAccess on a ${TARGET_MB} MB combined log`,
  async () => {
    const loadAtStart = loadavg();
    const directory = mkdtempSync(join(tmpdir(), "sg-logs-bench-"));
    const log = join(directory, "access.log");
    try {
      const t0 = performance.now();
      const generated = await generate(log);
      const generateS = (performance.now() - t0) / 1000;
      const mb = statSync(log).size / 1_048_576;

      const fast = await splitFast(log);
      const readline = await splitReadline(log);

      const out = join(directory, "report");
      const ours = await timed(process.execPath, [
        CLI,
        "logs",
        log,
        "--out",
        out,
        "--format",
        "json",
        "--quiet",
        "--fail-on",
        "none",
      ]);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as {
        findings: { id: string; severity: string; evidence: string[] }[];
      };
      const found = generated.planted.map((p) => {
        const key = p.session === undefined ? (p.ip ?? p.account ?? "") : shortHash(p.session);
        return {
          detection: p.detection,
          key,
          found: report.findings.some(
            (f) => f.id === p.detection && f.severity !== "info" && f.evidence.some((e) => e.includes(key)),
          ),
        };
      });
      const goaccess = await timed("goaccess", [
        log,
        "--log-format",
        GOACCESS_FORMAT,
        "--date-format",
        "%d/%b/%Y",
        "--time-format",
        "%T",
        "--no-progress",
        "-o",
        join(directory, "goaccess.json"),
      ]);
      const loadAtEnd = loadavg();
      const cpuOurs = ours.userS + ours.systemS;
      const cpuGo = goaccess.userS + goaccess.systemS;
      const result = {
        generatedAt: new Date().toISOString(),
        command: "npx vitest bench --run bench/logs.bench.ts",
        machine: {
          platform: `${platform()} ${release()}`,
          cpuModel: cpus()[0]?.model ?? "unknown",
          cpuCount: cpus().length,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
          goaccess: (await run("goaccess", ["--version"])).stdout.split("\n")[0]?.trim(),
          loadAverageAtStart: loadAtStart.map(r2),
          loadAverageAtEnd: loadAtEnd.map(r2),
          note: "shared 2-core machine: compare CPU-seconds; wall-clock figures depend on the load",
        },
        input: {
          megabytes: r1(mb),
          lines: generated.lines,
          sessions: generated.sessions,
          plantedIncidents: generated.planted.length,
          generateSeconds: r1(generateS),
        },
        lineSplitting: {
          engineSplitter: { cpuSeconds: r2(fast.cpuS), mbPerCpuSecond: r1(mb / fast.cpuS), lines: fast.lines },
          nodeReadline: {
            cpuSeconds: r2(readline.cpuS),
            mbPerCpuSecond: r1(mb / readline.cpuS),
            lines: readline.lines,
          },
          chosen: fast.cpuS <= readline.cpuS ? "engine splitter" : "node:readline",
        },
        sessionguard: {
          exitCode: ours.code,
          cpuSeconds: r2(cpuOurs),
          wallSeconds: r2(ours.wallS),
          mbPerCpuSecond: r1(mb / cpuOurs),
          mbPerSecondWall: r1(mb / ours.wallS),
          peakRssMB: r1(ours.maxRssMB),
          findings: report.findings.length,
          findingsAboveInfo: report.findings.filter((f) => f.severity !== "info").length,
          planted: found,
        },
        goaccess: {
          exitCode: goaccess.code,
          logFormat: GOACCESS_FORMAT,
          cpuSeconds: r2(cpuGo),
          wallSeconds: r2(goaccess.wallS),
          mbPerCpuSecond: r1(mb / cpuGo),
          mbPerSecondWall: r1(mb / goaccess.wallS),
          peakRssMB: r1(goaccess.maxRssMB),
        },
        verdict: {
          throughputVsGoAccess: r2(cpuGo / cpuOurs),
          rssUnder300MB: ours.maxRssMB < 300,
          allPlantedFound: found.every((f) => f.found),
        },
      };
      writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
      console.log(JSON.stringify(result, null, 2));
      if (ours.code !== 0) console.log(ours.stderr.slice(-2000));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
  { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
);
