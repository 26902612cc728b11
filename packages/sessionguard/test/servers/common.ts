/**
 * Shared plumbing of the test servers: finding binaries, picking free
 * loopback ports, waiting (always bounded) and killing every server this
 * process started when it exits, even after a failed test.
 */
import { execFileSync, spawn } from "node:child_process";
import { accessSync, constants, readdirSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { delimiter, join } from "node:path";
import { describe, it } from "vitest";
import { timeScale } from "../../../../test-setup/time-scale.js";

/** Absolute path of an executable on PATH (or in `extraDirs`), or `null`. */
export function findBinary(name: string, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), ...extraDirs]) {
    if (dir === "") continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** Directories holding PostgreSQL server binaries on Debian (newest first), or `$PG_BIN`. */
export function postgresBinDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.PG_BIN !== undefined) dirs.push(process.env.PG_BIN);
  try {
    const versions = readdirSync("/usr/lib/postgresql")
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not Debian-style
  }
  return dirs;
}

/**
 * Gate for a suite that needs server binaries. When one is missing the
 * suite is skipped with a visible warning, except under `CI`, where a
 * failing test is registered instead: CI must never pass by skipping.
 * @returns `true` when every binary was found
 */
export function requireBinaries(label: string, binaries: Record<string, string | null>, install: string): boolean {
  const missing = Object.entries(binaries)
    .filter(([, path]) => path === null)
    .map(([name]) => name);
  if (missing.length === 0) return true;
  const message = `${label}: ${missing.join(", ")} not found (${install})`;
  if (process.env.CI) {
    describe(label, () => {
      it("has the server binaries it needs (required when CI is set)", () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`\n[skipped] ${message}; set CI=1 to make this a failure\n`);
  }
  return false;
}

/** A free TCP port on 127.0.0.1 (and, with `alsoFree`, port + offset free as well). */
export async function freePort(alsoFree: readonly number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listenOnce(0);
    if (port + Math.max(0, ...alsoFree) > 65_535) continue;
    let ok = true;
    for (const offset of alsoFree) {
      if (!(await isFree(port + offset))) ok = false;
    }
    if (ok) return port;
  }
  throw new Error("no free loopback port found");
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const chosen = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(chosen));
    });
  });
}

async function isFree(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls `check` every `intervalMs` until it returns true, at most `attempts`
 * times — stretched by the machine's load ({@link timeScale}), since a busy
 * CI worker slows a failover or a restart without it being a failure.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  { attempts = 200, intervalMs = 50 }: { attempts?: number; intervalMs?: number } = {},
): Promise<void> {
  const tries = attempts * timeScale();
  for (let i = 0; i < tries; i++) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one inline command over RESP and returns the first reply line (no client library needed). */
export function redisCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let buffer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis ${command} on ${port} timed out`));
    }, timeoutMs);
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      if (!buffer.includes("\r\n")) return;
      // Bulk replies ($n) carry their body on the following lines.
      if (buffer.startsWith("$")) {
        const length = Number(buffer.slice(1, buffer.indexOf("\r\n")));
        const body = buffer.slice(buffer.indexOf("\r\n") + 2);
        if (length >= 0 && Buffer.byteLength(body) < length + 2) return;
        clearTimeout(timer);
        socket.end();
        resolve(length < 0 ? "" : body.slice(0, length));
        return;
      }
      clearTimeout(timer);
      socket.end();
      resolve(buffer.slice(0, buffer.indexOf("\r\n")));
    });
    socket.connect(port, "127.0.0.1", () => socket.write(`${command}\r\n`));
  });
}

const guarded = new Map<number, { signal: NodeJS.Signals; watchdog: number | undefined }>();
let exitHookInstalled = false;

/**
 * Makes sure a server dies with this test process, however it ends: an
 * `exit` hook kills it when the process exits normally, and a detached
 * watchdog shell kills it (and removes `dir`) when this process is killed
 * without running hooks (SIGKILL, a vitest worker torn down by SIGTERM). The
 * watchdog polls once a second and gives up after 12 hours.
 */
export function trackPid(pid: number, options: { signal?: NodeJS.Signals; dir?: string } = {}): void {
  const signal = options.signal ?? "SIGKILL";
  const removeDir = options.dir === undefined ? ":" : `rm -rf '${options.dir.replace(/'/g, "")}'`;
  const script =
    `for i in $(seq 1 43200); do kill -0 ${process.pid} 2>/dev/null || break; sleep 1; done; ` +
    `kill -${signal.slice(3)} ${pid} 2>/dev/null; sleep 2; kill -KILL ${pid} 2>/dev/null; ${removeDir}`;
  const watchdog = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  watchdog.unref();
  guarded.set(pid, { signal, watchdog: watchdog.pid });
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [p, entry] of guarded) {
      for (const [target, sig] of [
        [p, entry.signal],
        [entry.watchdog, "SIGKILL"],
      ] as const) {
        try {
          if (target !== undefined) process.kill(target, sig);
        } catch {
          // already gone
        }
      }
    }
  });
}

/** Forgets a server stopped on purpose, and ends its watchdog. */
export function untrackPid(pid: number): void {
  const entry = guarded.get(pid);
  guarded.delete(pid);
  if (entry?.watchdog === undefined) return;
  try {
    process.kill(entry.watchdog, "SIGKILL");
  } catch {
    // already gone
  }
}

/** True while a process with this PID exists (and is not a zombie we could reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid` and waits (bounded) until the process is gone. */
export async function killAndWait(pid: number, signal: NodeJS.Signals, what: string): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  await waitFor(`${what} (pid ${pid}) to exit`, () => !isAlive(pid), { attempts: 400, intervalMs: 25 });
}

/** Runs a command synchronously, returning stdout; throws with stderr on failure. */
export function run(
  file: string,
  args: readonly string[],
  options: { user?: string; timeoutMs?: number } = {},
): string {
  const asUser = options.user !== undefined && process.getuid?.() === 0;
  const [cmd, argv] = asUser ? ["runuser", ["-u", options.user as string, "--", file, ...args]] : [file, [...args]];
  return execFileSync(cmd, argv, {
    encoding: "utf8",
    timeout: options.timeoutMs ?? 60_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
}
