import { formatDuration } from "../config/duration.js";
import type { Budget } from "../http/budget.js";

/** Receives progress while an audit runs (SPEC §2.1: on stderr, never stdout). */
export interface Progress {
  /** A new phase begins. */
  phase(name: string): void;
  /** Work within a phase, e.g. samples collected. */
  step(done: number, total: number, label: string): void;
  /** A line worth keeping in the log (a check finished). */
  note(text: string): void;
  /** The audit ended. */
  done(): void;
}

/** A progress sink that prints nothing (library use, `--quiet`). */
export const silentProgress: Progress = { phase() {}, step() {}, note() {}, done() {} };

/**
 * Progress on a stream: a live, rewritten status line on a TTY; plain lines
 * otherwise (CI logs), throttled so a 20,000-sample run does not flood them.
 */
export function streamProgress(stream: NodeJS.WriteStream, budget: Budget): Progress {
  const tty = stream.isTTY === true;
  let phase = "";
  let lastPlain = 0;
  let live = false;
  const status = (): string => `${budget.sent} requests · ${formatDuration(budget.remainingMs())} of budget left`;
  const clear = (): void => {
    if (live) stream.write("\r\x1b[2K");
    live = false;
  };
  return {
    phase(name) {
      phase = name;
      clear();
      stream.write(`» ${name} (${status()})\n`);
    },
    step(done, total, label) {
      const line = `  ${phase}: ${label} ${done}/${total} · ${status()}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
        live = true;
      } else if (Date.now() - lastPlain > 2000 || done === total) {
        lastPlain = Date.now();
        stream.write(`${line}\n`);
      }
    },
    note(text) {
      clear();
      stream.write(`  ${text}\n`);
    },
    done() {
      clear();
    },
  };
}
