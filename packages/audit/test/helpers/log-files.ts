import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import {
  type EventRecord,
  HOUR,
  type Planted,
  Traffic,
  type TrafficRecord,
  toCombined,
  toEventLine,
  toJsonl,
} from "./log-traffic.js";

/** Log start of the generated traffic: a fixed day, so failures reproduce. */
export const LOG_START = Date.UTC(2026, 10, 2, 0, 0, 0);

/** Writes lines to a file (gzip when the name ends in `.gz`) and resolves when it is on disk. */
export async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const file = createWriteStream(path);
  const gzip = path.endsWith(".gz") ? createGzip() : null;
  if (gzip !== null) gzip.pipe(file);
  const out = gzip ?? file;
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", resolve));
  }
  await new Promise<void>((resolve, reject) => {
    file.once("finish", resolve);
    file.once("error", reject);
    out.end();
  });
}

function* map<T>(items: Iterable<T>, f: (item: T) => string): Generator<string> {
  for (const item of items) yield f(item);
}

/** What {@link writeTrafficLogs} wrote. */
export interface TrafficLogs {
  readonly combined: string;
  readonly jsonl: string;
  readonly gzip: string;
  readonly events: string;
  /** Planted incidents of the access logs (the same in all three access formats). */
  readonly planted: readonly Planted[];
  readonly plantedEvents: readonly Planted[];
  readonly access: readonly TrafficRecord[];
  readonly eventRecords: readonly EventRecord[];
}

/**
 * Writes one generated day in combined, jsonl, gzip'd combined and as library
 * events. `sessions` ordinary users over 16 h (thousands, not millions: the
 * machine is shared).
 */
export async function writeTrafficLogs(
  dir: string,
  options: { sessions: number; plant: boolean; seed?: number },
): Promise<TrafficLogs> {
  const traffic = new Traffic({
    seed: options.seed ?? 7,
    sessions: options.sessions,
    start: LOG_START,
    spanMs: 16 * HOUR,
    plant: options.plant,
  });
  const access = [...traffic.records()];
  const eventRecords = [...traffic.events()];
  const paths = {
    combined: join(dir, "access.log"),
    jsonl: join(dir, "access.jsonl"),
    gzip: join(dir, "access.log.1.gz"),
    events: join(dir, "events.jsonl"),
  };
  await writeLines(paths.combined, map(access, toCombined));
  await writeLines(paths.jsonl, map(access, toJsonl));
  await writeLines(paths.gzip, map(access, toCombined));
  await writeLines(paths.events, map(eventRecords, toEventLine));
  return {
    ...paths,
    planted: traffic.planted,
    plantedEvents: options.plant ? Traffic.plantedEvents : [],
    access,
    eventRecords,
  };
}
