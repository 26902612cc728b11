/**
 * Throwaway redis-server processes for tests: loopback only, a free port,
 * a temporary directory, no persistence (`--save '' --appendonly no`),
 * stopped by PID.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinary, freePort, isAlive, killAndWait, redisCommand, trackPid, untrackPid, waitFor } from "./common.js";

export const REDIS_SERVER = findBinary("redis-server");
export const REDIS_CLI = findBinary("redis-cli");

/** A running (or stopped, restartable) redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  /** PID of the current process (changes on restart). */
  readonly pid: number;
  /** Kills the process (SIGKILL by default: a crash) and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a new process on the same port and directory. */
  restart(): Promise<void>;
  /** Pauses (SIGSTOP) or resumes (SIGCONT) the process: a hung server. */
  pause(): void;
  resume(): void;
  /** Stops the process and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Extra `--name value` arguments, e.g. `["--cluster-enabled", "yes"]`. */
  readonly args?: readonly string[];
  readonly port?: number;
  readonly dir?: string;
}

/** Starts redis-server in the foreground as a child of this process and waits for PONG. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  if (REDIS_SERVER === null) throw new Error("redis-server is not installed");
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "sessionguard-redis-"));
  const ownsDir = options.dir === undefined;
  let child: ChildProcess | null = null;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--loglevel",
      "warning",
      "--logfile",
      join(dir, `redis-${port}.log`),
      ...(options.args ?? []),
    ];
    const started = spawn(REDIS_SERVER as string, args, { stdio: "ignore" });
    child = started;
    const pid = started.pid;
    if (pid === undefined) throw new Error("redis-server did not start");
    trackPid(pid, { dir });
    started.once("exit", () => untrackPid(pid));
    await waitFor(`redis-server on port ${port}`, async () => {
      if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
      return (await redisCommand(port, "PING")) === "+PONG";
    });
  };

  await launch();
  const current = (): ChildProcess => {
    if (child === null) throw new Error("redis-server is not running");
    return child;
  };

  return {
    port,
    dir,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return current().pid ?? -1;
    },
    async kill(signal = "SIGKILL") {
      const pid = current().pid;
      if (pid !== undefined && isAlive(pid)) {
        // A paused process only dies of SIGKILL; resume it so any signal works.
        process.kill(pid, "SIGCONT");
        await killAndWait(pid, signal, "redis-server");
      }
    },
    async restart() {
      await launch();
    },
    pause() {
      process.kill(current().pid ?? -1, "SIGSTOP");
    },
    resume() {
      process.kill(current().pid ?? -1, "SIGCONT");
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const pid = child?.pid;
      if (pid !== undefined && isAlive(pid)) {
        process.kill(pid, "SIGCONT");
        await killAndWait(pid, "SIGTERM", "redis-server").catch(() => killAndWait(pid, "SIGKILL", "redis-server"));
      }
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a Sentinel (redis-server in sentinel mode) that monitors the master
 * on `masterPort` under `name`, with a quorum of 1.
 */
export async function startSentinel(
  masterPort: number,
  name = "sessionguard",
): Promise<{
  readonly port: number;
  stop(): Promise<void>;
}> {
  if (REDIS_SERVER === null) throw new Error("redis-server is not installed");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "sessionguard-sentinel-"));
  const config = join(dir, "sentinel.conf");
  // Sentinel rewrites its configuration file, so it must be a writable file of its own.
  writeFileSync(
    config,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      "",
    ].join("\n"),
  );
  const child = spawn(REDIS_SERVER, [config, "--sentinel", "--logfile", join(dir, "sentinel.log")], {
    stdio: "ignore",
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("redis-sentinel did not start");
  trackPid(pid, { dir });
  child.once("exit", () => untrackPid(pid));
  const stop = async (): Promise<void> => {
    if (isAlive(pid)) await killAndWait(pid, "SIGTERM", "redis-sentinel").catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(`sentinel on port ${port}`, async () =>
      (await redisCommand(port, `SENTINEL get-master-addr-by-name ${name}`)).startsWith("*2"),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}
