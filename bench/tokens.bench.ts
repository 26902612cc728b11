/**
 * Token analysis at sequencer scale: the full battery of `analyzeTokens`
 * (layout, per-bit FIPS 140-2 and p-values, correlation, character tests,
 * SP 800-90B-style estimators, ent-style byte statistics, every structure
 * detector including ~100k candidate hashes) on 20,000 tokens of 32 random
 * bytes, next to Debian's `rngtest` and `ent` on the same bytes, in one run.
 *
 *   npx vitest bench --run bench/tokens.bench.ts
 *
 * Writes bench/results/tokens.json. Target: the whole analysis under 2 s on
 * the project's 2-core machine. `rngtest` and `ent` only compute their
 * statistics (they predict nothing), so they are a floor, not a peer.
 * Vitest's own table shows one sample of the whole run; the figures are in
 * the printed table and the JSON.
 */
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { bench } from "vitest";
import { runBitTests } from "../packages/audit/src/tokens/bit-tests.js";
import { byteStats } from "../packages/audit/src/tokens/byte-stats.js";
import { runCharTests } from "../packages/audit/src/tokens/char-tests.js";
import { findDuplicates } from "../packages/audit/src/tokens/detectors/duplicates.js";
import { findReadable } from "../packages/audit/src/tokens/detectors/readable.js";
import { effectiveEntropy } from "../packages/audit/src/tokens/effective-entropy.js";
import { analyzeTokens } from "../packages/audit/src/tokens/index.js";
import { detectLayout } from "../packages/audit/src/tokens/layout.js";
import { columnToBytes } from "../packages/audit/src/tokens/lib/bits.js";
import { buildMatrix } from "../packages/audit/src/tokens/matrix.js";
import { estimateMinEntropy, MAX_ESTIMATOR_BITS } from "../packages/audit/src/tokens/min-entropy.js";
import { analysedBytes, bitStream } from "../packages/audit/src/tokens/stream.js";
import { detectStructure } from "../packages/audit/src/tokens/structure.js";

const TOKENS = Number(process.env.BENCH_TOKENS ?? 20_000);
const BYTES = 32;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RESULTS = fileURLToPath(new URL("./results/tokens.json", import.meta.url));
const run = promisify(execFile);

/** Run a command with stdin from a buffer; resolve with stderr, stdout, exit code and wall time. */
function pipe(
  command: string,
  args: string[],
  input: Buffer,
): Promise<{ ms: number; stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - start, stdout, stderr, code: code ?? -1 }));
    child.stdin.end(input);
  });
}

async function version(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args);
    return (stdout || stderr).split("\n")[0]!.trim();
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return ((e.stdout || e.stderr) ?? "unavailable").split("\n")[0]!.trim() || "unavailable";
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number): number => Math.round(x * 10) / 10;

bench(
  `tokens: analyzeTokens on ${TOKENS} × ${BYTES} random bytes vs rngtest and ent`,
  async () => {
    const load = loadavg();
    const raw = randomBytes(TOKENS * BYTES);
    const samples = Array.from({ length: TOKENS }, (_, i) => ({
      value: raw.subarray(i * BYTES, (i + 1) * BYTES).toString("base64url"),
    }));

    // The full battery, several times (the first run includes JIT warm-up).
    const runs: number[] = [];
    let analysis = analyzeTokens(samples);
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      analysis = analyzeTokens(samples);
      runs.push(performance.now() - start);
    }

    // Where the time goes, stage by stage (one more pass).
    const stages: Record<string, number> = {};
    let t = performance.now();
    const lap = (name: string): void => {
      const now = performance.now();
      stages[name] = round(now - t);
      t = now;
    };
    const values = samples.map((s) => s.value);
    const layout = detectLayout(values);
    lap("layout");
    const matrix = buildMatrix(layout, TOKENS);
    lap("bit matrix");
    const bits = runBitTests(matrix);
    lap("per-bit tests (FIPS, p-values, correlation)");
    const chars = runCharTests(matrix);
    lap("character tests");
    effectiveEntropy(matrix, bits, chars.tests);
    lap("effective entropy");
    estimateMinEntropy(bitStream(matrix, MAX_ESTIMATOR_BITS));
    lap("SP 800-90B estimators (1,000,000 bits)");
    byteStats(analysedBytes(matrix));
    lap("byte statistics (ent)");
    findDuplicates(values);
    findReadable(values);
    lap("duplicates and readable data");
    const structure = detectStructure(layout, samples);
    lap("structure detectors");

    // rngtest and ent on the same bytes. rngtest: the token bytes as one stream (4 bootstrap bytes +
    // 255 blocks), and the 256 per-bit-position columns the engine tests (one 2,500-byte block each).
    const columns = Buffer.concat([Buffer.alloc(4, 0xa5), ...matrix.columns.map((c) => columnToBytes(c, TOKENS))]);
    const directory = mkdtempSync(join(tmpdir(), "sg-bench-"));
    try {
      const rngRaw = await pipe("rngtest", [], raw);
      const rngColumns = await pipe("rngtest", [], columns);
      const file = join(directory, "tokens.bin");
      writeFileSync(file, raw);
      const entStart = performance.now();
      const ent = await run("ent", ["-t", file]);
      const entMs = performance.now() - entStart;
      const entRow = ent.stdout.trim().split("\n")[1]!.split(",");
      const ours = byteStats(raw);
      const count = (stderr: string, label: string): number =>
        Number(new RegExp(`${label}: (\\d+)`).exec(stderr)?.[1] ?? Number.NaN);

      const result = {
        generatedAt: new Date().toISOString(),
        command: "npx vitest bench --run bench/tokens.bench.ts",
        machine: {
          platform: `${platform()} ${release()}`,
          cpuModel: cpus()[0]?.model ?? "unknown",
          cpuCount: cpus().length,
          memoryGiB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
          loadAverageAtStart: load.map((x) => Math.round(x * 100) / 100),
          rngtest: await version("rngtest", ["--version"]),
          ent: "ent 1.2debian (Debian package)",
        },
        settings: { tokens: TOKENS, bytesPerToken: BYTES, encoding: "base64url", runs: RUNS },
        sessionguard: {
          msPerRun: runs.map(round),
          medianMs: round(median(runs)),
          minMs: round(Math.min(...runs)),
          stagesMs: stages,
          hashesComputed: structure.hashes,
          summary: {
            bitsPerToken: analysis.summary.bitsPerToken,
            effectiveEntropyBits: analysis.summary.effectiveEntropyBits,
            effectiveEntropyAt: analysis.summary.charts?.effectiveEntropyAt,
            estimates: analysis.summary.charts?.estimates,
            findings: analysis.verdicts.filter((v) => v.status === "vulnerable").map((v) => v.id),
          },
        },
        rngtest: {
          tokenBytes: {
            ms: round(rngRaw.ms),
            blocks: count(rngRaw.stderr, "successes") + count(rngRaw.stderr, "failures"),
            failures: count(rngRaw.stderr, "failures"),
          },
          bitPositionColumns: {
            ms: round(rngColumns.ms),
            blocks: count(rngColumns.stderr, "successes") + count(rngColumns.stderr, "failures"),
            failures: count(rngColumns.stderr, "failures"),
            sessionguardFipsFailures: bits.fips.filter((f) => !f.pass).length,
          },
        },
        ent: {
          ms: round(entMs),
          bytes: Number(entRow[1]),
          entropy: Number(entRow[2]),
          chiSquare: Number(entRow[3]),
          sessionguard: { entropy: Number(ours.entropy.toFixed(6)), chiSquare: Number(ours.chiSquare.toFixed(6)) },
        },
      };
      writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
      console.table({
        "sessionguard analyzeTokens (full battery)": { ms: result.sessionguard.medianMs, note: `median of ${RUNS}` },
        "rngtest (token bytes, FIPS only)": { ms: result.rngtest.tokenBytes.ms, note: "process incl." },
        "rngtest (256 bit-position blocks)": { ms: result.rngtest.bitPositionColumns.ms, note: "process incl." },
        "ent -t (byte statistics only)": { ms: result.ent.ms, note: "process incl." },
      });
      console.table(stages);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  },
  { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
);
