import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { parse as parseYaml } from "yaml";
import { AuditError } from "../errors.js";
import { analyzeLogs } from "../logs/analyze-logs.js";
import type { LogFormat } from "../logs/analyzer.js";
import type { Incident } from "../logs/incident.js";
import { DETECTION_IDS, type LogOptions, LogOptionsError, resolveLogOptions } from "../logs/options.js";
import { sigmaRules } from "../logs/sigma-rules.js";
import { logReport } from "../logs/to-report.js";
import type { Report } from "../report/model.js";
import { Redactor, redactReport } from "../report/redact.js";
import { exitCodeFor, parseFailOn } from "./audit-command.js";
import { parseFormats, type ReportFormat } from "./formats.js";
import { formatSummary } from "./summary.js";
import { writeReport } from "./write-report.js";

/** Options of `sessionguard logs` (SPEC §2.1, §3). */
export interface LogsCommandOptions {
  readonly logFormat: string;
  readonly cookie?: string;
  readonly config?: string;
  readonly follow?: boolean;
  readonly out: string;
  readonly format: string;
  readonly failOn: string;
  readonly quiet?: boolean;
  /** `--export sigma DIR`: the two words after `--export`. */
  readonly export?: readonly string[];
}

const LOG_FORMATS: readonly LogFormat[] = ["combined", "jsonl", "auto"];

function parseLogFormat(text: string): LogFormat {
  const value = text.toLowerCase();
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new AuditError("ERR_USAGE", `--log-format must be combined, jsonl or auto (got "${text.slice(0, 20)}")`);
}

async function loadOptions(config: string | undefined, cookie: string | undefined): Promise<LogOptions> {
  let raw: unknown = {};
  if (config !== undefined) {
    let text: string;
    try {
      text = await readFile(config, "utf8");
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new AuditError(
        "ERR_CONFIG",
        `--config ${config} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`}`,
      );
    }
    try {
      raw = /\.ya?ml$/i.test(config) ? parseYaml(text) : JSON.parse(text);
    } catch {
      throw new AuditError(
        "ERR_CONFIG",
        `--config ${config} is not valid ${/\.ya?ml$/i.test(config) ? "YAML" : "JSON"}`,
      );
    }
  }
  if (cookie !== undefined && !/^[!#$%&'*+\-.^_`|~\w]+$/.test(cookie)) {
    throw new AuditError("ERR_USAGE", "--cookie must be a cookie name such as PHPSESSID or __Host-sid");
  }
  try {
    return resolveLogOptions(raw, cookie ?? null);
  } catch (error) {
    if (error instanceof LogOptionsError) {
      throw new AuditError("ERR_CONFIG", `${config ?? "the configuration"}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The engine's live state is small (tens of MB for a gigabyte log) but it
 * allocates a short-lived string per field of every line; V8's default heap
 * growth then lets the process grow to several times its live size. A
 * smaller young generation and a tighter growth factor keep the peak RSS of
 * a 1 GB run under 300 MB for ~20 % more CPU (bench/results/logs.json).
 * This process runs only this command, so changing V8 flags here is local.
 */
function tightenHeap(): void {
  setFlagsFromString("--max-semi-space-size=4");
  setFlagsFromString("--heap-growing-percent=25");
}

function incidentLine(i: Incident): string {
  const first = i.evidence.find((e) => e.client >= 0) ?? i.evidence[0];
  const who = i.clients
    .filter((c) => c.role !== "owner")
    .map((c) => c.ip)
    .join(",");
  return [
    `! ${i.detection}`,
    i.severity,
    ...(i.session === null ? [] : [`session ${i.session}`]),
    ...(i.account === null ? [] : [`account ${i.account}`]),
    ...(who === "" ? [] : [`client ${who}`]),
    ...(first === undefined ? [] : [`(${first.file}:${first.line})`]),
  ].join(" ");
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`;
}

/**
 * Runs `sessionguard logs <file...>`: reads access logs and library event
 * logs (gzip, stdin `-`, `--follow`), writes the report in the audit's
 * formats and returns the exit code of SPEC §2.1. With `--export sigma DIR`
 * it also writes the detections as Sigma rules.
 */
export async function logsCommand(files: readonly string[], options: LogsCommandOptions): Promise<number> {
  const formats: ReportFormat[] = parseFormats(options.format);
  const failOn = parseFailOn(options.failOn);
  const format = parseLogFormat(options.logFormat);
  if (options.out === "-" && formats.length !== 1) {
    throw new AuditError("ERR_USAGE", "--out - writes to stdout and needs exactly one --format (e.g. --format json)");
  }
  let exportDir: string | null = null;
  if (options.export !== undefined) {
    const [kind, dir, ...rest] = options.export;
    if (kind !== "sigma" || dir === undefined || rest.length > 0) {
      throw new AuditError(
        "ERR_USAGE",
        "--export takes two words: --export sigma DIR (put it after the log files, or before another option)",
      );
    }
    exportDir = dir;
  }
  if (files.length === 0 && exportDir === null) {
    throw new AuditError("ERR_USAGE", "name at least one log file (or - for stdin), e.g. sessionguard logs access.log");
  }
  if (files.filter((f) => f === "-").length > 1) throw new AuditError("ERR_USAGE", "stdin (-) can be read only once");
  if (options.follow !== true) {
    for (const file of files) {
      if (file !== "-" && !existsSync(file)) {
        throw new AuditError(
          "ERR_USAGE",
          `${file} does not exist (use --follow to wait for a file that is not there yet)`,
        );
      }
    }
  }
  const logOptions = await loadOptions(options.config, options.cookie);
  if (files.length > 0) tightenHeap();
  const quiet = options.quiet === true;
  const say = (line: string): void => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };

  if (exportDir !== null) {
    const dir = resolve(exportDir);
    try {
      await mkdir(dir, { recursive: true });
      for (const rule of sigmaRules(logOptions)) await writeFile(join(dir, rule.name), rule.text, "utf8");
    } catch (error) {
      throw new AuditError(
        "ERR_USAGE",
        `cannot write the Sigma rules to ${dir}: ${(error as { code?: string }).code ?? "error"}`,
      );
    }
    say(`sessionguard: wrote ${DETECTION_IDS.length} Sigma rules to ${dir}`);
    if (files.length === 0) return 0;
  }

  const startedAt = new Date();
  const verification = [
    "npx sessionguard logs",
    ...files,
    ...(format === "auto" ? [] : ["--log-format", format]),
    ...(options.cookie === undefined ? [] : ["--cookie", options.cookie]),
    ...(options.config === undefined ? [] : ["--config", options.config]),
    "--fail-on",
    failOn,
  ].join(" ");
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const tty = process.stderr.isTTY === true && !quiet;
  let live = false;
  const clear = (): void => {
    if (live) process.stderr.write("\r\x1b[2K");
    live = false;
  };
  const build = (analysis: Parameters<typeof logReport>[0]): Report =>
    redactReport(logReport(analysis, { files, startedAt, finishedAt: new Date(), verification }), new Redactor());
  let pendingWrite: NodeJS.Timeout | null = null;
  if (options.follow === true) {
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  try {
    const analysis = await analyzeLogs(files, {
      format,
      options: logOptions,
      follow: options.follow === true,
      signal: controller.signal,
      onIncident: (incident, snapshot) => {
        if (!quiet) {
          clear();
          // The first lines are all there is when an incident is raised; the report has the rest.
          process.stderr.write(`${incidentLine(incident)}\n`);
        }
        // Under --follow the report on disk is kept current, at most once a second.
        if (options.follow === true && options.out !== "-" && pendingWrite === null) {
          pendingWrite = setTimeout(() => {
            pendingWrite = null;
            writeReport(build(snapshot()), formats, options.out, process.stdout).catch(() => {});
          }, 1000);
        }
      },
      onProgress: (p) => {
        if (quiet) return;
        const line = `» ${p.file}: ${megabytes(p.bytes)}, ${p.lines.toLocaleString("en")} lines, ${p.incidents} incident${p.incidents === 1 ? "" : "s"}`;
        if (tty) {
          process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
          live = true;
        } else process.stderr.write(`${line}\n`);
      },
      onNote: (message) => {
        clear();
        say(`sessionguard: ${message}`);
      },
    });
    clear();
    if (pendingWrite !== null) clearTimeout(pendingWrite);
    const report = build(analysis);
    const written = await writeReport(report, formats, options.out, process.stdout);
    if (!quiet) process.stderr.write(formatSummary(report, written));
    return exitCodeFor(report, failOn);
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
}
