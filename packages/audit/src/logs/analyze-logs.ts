import { type LogAnalysis, LogAnalyzer, type LogFormat } from "./analyzer.js";
import { followFile } from "./follow.js";
import type { Incident } from "./incident.js";
import { readSource } from "./line-source.js";
import { LineSplitter } from "./line-splitter.js";
import { DEFAULT_LOG_OPTIONS, type LogOptions } from "./options.js";

/** Progress of a run, for a progress line on stderr. */
export interface LogProgress {
  readonly file: string;
  /** Bytes read from this file so far. */
  readonly bytes: number;
  /** Lines read from this file so far. */
  readonly lines: number;
  /** Incidents raised so far, all files. */
  readonly incidents: number;
}

/** Options of {@link analyzeLogs}. */
export interface AnalyzeLogsOptions {
  /** `--log-format` (default `auto`: detected per file). */
  readonly format?: LogFormat;
  /** Thresholds and windows (default {@link DEFAULT_LOG_OPTIONS}). */
  readonly options?: LogOptions;
  /** Keep reading growing files like `tail -F` until `signal` aborts (default false). */
  readonly follow?: boolean;
  /** Stops a `follow` run (and cuts a normal run short). */
  readonly signal?: AbortSignal;
  /**
   * Called once per incident, when it is first raised; `snapshot` returns the
   * analysis so far (`--follow` rewrites the report with it).
   */
  readonly onIncident?: (incident: Incident, snapshot: () => LogAnalysis) => void;
  /** Called every few megabytes and at the end of each file. */
  readonly onProgress?: (progress: LogProgress) => void;
  /** Rotation, disappearance and read errors, in words. */
  readonly onNote?: (message: string) => void;
  /** Where `-` reads from (default `process.stdin`). */
  readonly stdin?: NodeJS.ReadableStream;
}

const PROGRESS_BYTES = 16 << 20;

/**
 * Reads access logs and sessionguard event logs and returns the incidents
 * of SPEC §3 as data (`log-hijack`, `log-guessing`, `log-after-logout`,
 * `log-login-burst`, `log-past-absolute`, `log-unissued-id`) with what was
 * read. Files are read in the order given (pass rotated files oldest
 * first); `-` is stdin; gzip is recognised by its magic bytes. Bad input
 * (truncated gzip, binary garbage, over-long lines, a missing file) is
 * counted in `files`, never thrown. Memory is bounded by the live sessions
 * and clients of one window, whatever the log size.
 * @example const { incidents } = await analyzeLogs(["/var/log/nginx/access.log"]);
 */
export async function analyzeLogs(files: readonly string[], opts: AnalyzeLogsOptions = {}): Promise<LogAnalysis> {
  const options = opts.options ?? DEFAULT_LOG_OPTIONS;
  const onIncident = opts.onIncident;
  const analyzer: LogAnalyzer = new LogAnalyzer(
    options,
    opts.format ?? "auto",
    onIncident === undefined ? undefined : (incident) => onIncident(incident, () => analyzer.snapshot()),
  );
  const signal = opts.signal ?? new AbortController().signal;
  const read = async (file: string, follow: boolean): Promise<void> => {
    const stats = analyzer.beginFile(file);
    let lineNumber = 0;
    let reported = 0;
    const splitter = (): LineSplitter =>
      new LineSplitter(options.maxLineBytes, (line) => {
        analyzer.switchTo(stats);
        lineNumber++;
        if (line === null) analyzer.tooLong(lineNumber);
        else analyzer.line(line, lineNumber);
      });
    let lines = splitter();
    const progress = (): void =>
      opts.onProgress?.({ file, bytes: stats.bytes, lines: stats.lines, incidents: analyzer.incidents.length });
    const sink = {
      text: (text: string) => lines.push(text),
      bytes: (count: number) => {
        stats.bytes += count;
        if (stats.bytes - reported >= PROGRESS_BYTES) {
          reported = stats.bytes;
          progress();
        }
      },
    };
    if (follow && file !== "-") {
      await followFile(
        file,
        {
          ...sink,
          restart: (reason) => {
            lines.end();
            lines = splitter();
            lineNumber = 0;
            if (reason !== "reappeared") opts.onNote?.(`${file} was ${reason}; following the new file`);
          },
          note: (message) => {
            if (/disappeared|does not exist|cannot be read/.test(message))
              stats.error = message.replace(`${file} `, "");
            else stats.error = null;
            opts.onNote?.(message);
          },
        },
        signal,
      );
    } else {
      const error = await readSource(file, sink, opts.stdin);
      if (error !== null) {
        stats.error = error;
        opts.onNote?.(`${file}: ${error}`);
      }
    }
    lines.end();
    analyzer.switchTo(stats);
    analyzer.endFile();
    progress();
  };
  if (opts.follow === true) await Promise.all(files.map((file) => read(file, true)));
  else {
    for (const file of files) {
      if (signal.aborted) break;
      await read(file, false);
    }
  }
  return analyzer.finish();
}
