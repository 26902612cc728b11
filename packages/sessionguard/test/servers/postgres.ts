/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary
 * directory (as the `postgres` user when running as root, because initdb
 * refuses root), started with `pg_ctl` on a free loopback port with trust
 * authentication, stopped by the postmaster's PID.
 */
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinary, freePort, isAlive, killAndWait, postgresBinDirs, run, trackPid, untrackPid } from "./common.js";

const BIN_DIRS = postgresBinDirs();
export const INITDB = findBinary("initdb", BIN_DIRS);
export const PG_CTL = findBinary("pg_ctl", BIN_DIRS);
/** The OS user the server runs as when this process is root. */
const SERVER_USER = "postgres";

/** A running (or crashed, restartable) PostgreSQL server. */
export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  /** PID of the current postmaster. */
  readonly pid: number;
  /** Stops the postmaster: `SIGQUIT` (immediate, like a crash) by default. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and data directory (crash recovery runs). */
  restart(): Promise<void>;
  /** Pauses (SIGSTOP) or resumes (SIGCONT) the postmaster and its backends: a hung server. */
  pause(): void;
  resume(): void;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** Creates a cluster in a temporary directory and starts it. */
export async function startPostgres(): Promise<PostgresServer> {
  if (INITDB === null || PG_CTL === null) throw new Error("PostgreSQL server binaries are not installed");
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), "sessionguard-pg-"));
  const data = join(root, "data");
  if (asRoot) {
    const uid = Number(run("id", ["-u", SERVER_USER]).trim());
    const gid = Number(run("id", ["-g", SERVER_USER]).trim());
    chownSync(root, uid, gid);
  }
  const user = asRoot ? SERVER_USER : undefined;
  const as = user === undefined ? {} : { user };
  const port = await freePort();
  let pid = -1;
  let stopped = false;

  const readPid = (): number => Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const start = async (): Promise<void> => {
    run(
      PG_CTL as string,
      [
        "-D",
        data,
        "-l",
        join(root, "server.log"),
        "-o",
        `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`,
        "-w",
        "-t",
        "60",
        "start",
      ],
      as,
    );
    pid = readPid();
    // SIGQUIT: immediate shutdown, which also ends the backends.
    trackPid(pid, { signal: "SIGQUIT", dir: root });
  };

  try {
    run(INITDB, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale", "C"], as);
    await start();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const killPostmaster = async (signal: NodeJS.Signals): Promise<void> => {
    if (!isAlive(pid)) return;
    // Backends are stopped too when the postmaster is SIGSTOPped; let them see the signal.
    resumeAll();
    await killAndWait(pid, signal, "postgres");
    untrackPid(pid);
    // An immediate shutdown leaves backends to exit on their own; wait for the pidfile to go.
    for (let i = 0; i < 200 && existsSync(join(data, "postmaster.pid")) && signal !== "SIGQUIT"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  // Backends are children of the postmaster; /proc needs no extra package (pgrep is procps).
  const children = (): number[] => {
    const found: number[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid === pid) found.push(Number(entry));
      } catch {
        // exited meanwhile
      }
    }
    return found;
  };
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const p of [pid, ...children()]) {
      try {
        process.kill(p, signal);
      } catch {
        // gone
      }
    }
  };
  const resumeAll = (): void => signalAll("SIGCONT");

  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    get pid() {
      return pid;
    },
    async kill(signal = "SIGQUIT") {
      await killPostmaster(signal);
    },
    async restart() {
      await start();
    },
    pause() {
      signalAll("SIGSTOP");
    },
    resume() {
      resumeAll();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGINT = "fast" shutdown: abort sessions, checkpoint, exit.
      await killPostmaster("SIGINT").catch(() => killPostmaster("SIGKILL"));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
