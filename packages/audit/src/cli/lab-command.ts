import type { RunningLab } from "@sessionguard/lab";
import { loadLab } from "./load-lab.js";

/** Options of `sessionguard lab` (SPEC §4.1). */
export interface LabCommandOptions {
  readonly port: string;
  readonly host: string;
  readonly profile: string;
  readonly flaws?: string;
  readonly store?: string;
  readonly idle?: string;
  readonly absolute?: string;
}

/** Parses `--port`. */
export function parsePort(text: string): number | null {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
}

/**
 * Runs `sessionguard lab` until SIGINT/SIGTERM; the first stdout line is
 * `listening on http://HOST:PORT` (CONTRACT).
 */
export async function labCommand(options: LabCommandOptions, port: number): Promise<RunningLab> {
  const { startLab } = await loadLab("lab");
  const lab = await startLab({
    port,
    host: options.host,
    profile: options.profile as "hardened" | "vulnerable",
    ...(options.flaws === undefined
      ? {}
      : {
          flaws: options.flaws
            .split(",")
            .map((f) => f.trim())
            .filter((f) => f !== ""),
        }),
    store: options.store,
    idle: options.idle,
    absolute: options.absolute,
  });
  process.stdout.write(`listening on ${lab.url}\n`);
  process.stderr.write(`sessionguard lab: ${lab.description}; users alice/alice-pw and bob/bob-pw; Ctrl+C stops it\n`);
  return lab;
}
