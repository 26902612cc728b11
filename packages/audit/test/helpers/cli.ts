import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { scaled, timeScale } from "../../../../test-setup/time-scale.js";

/** The built CLI (vitest's global setup builds it). */
export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Fails with tsc's output when the global setup could not build the packages. */
export function requireBuild(): void {
  const error = inject("buildError");
  if (error !== null) throw new Error(`the packages did not build, so the CLI cannot be tested:\n${error}`);
}

/** Result of one CLI run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI with arguments (and optional stdin); kills it after `timeoutMs` (default 2 min, scaled with the load). */
export function runCli(args: readonly string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? scaled(120_000));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

/** A fresh temporary folder. */
export function tempDir(prefix = "sg-audit-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a JSON config into `dir` and returns its path. */
export function writeConfig(dir: string, config: unknown): string {
  const path = join(dir, "config.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** The audit configuration for the lab, with short timeouts so the idle and absolute probes finish in seconds. */
export function labConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
    authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
    logout: { url: "/logout", method: "POST" },
    passwordChange: {
      url: "/password",
      form: { current: "alice-pw", next: "alice-pw-2" },
      revert: { form: { current: "alice-pw-2", next: "alice-pw" } },
    },
    tokenSource: { url: "/login" },
    policy: { maxIdle: LAB_IDLE, maxAbsolute: LAB_ABSOLUTE, minEntropyBits: 64, maxConcurrentSessions: 3 },
    budget: { maxRequests: 20000, rate: 2000, maxDuration: `${Math.round(180 * timeScale())}s` },
    ...overrides,
  };
}

/**
 * Timeouts the test labs run with (and the policy the audits check against),
 * stretched on a busy machine: the idle probe's "still alive before the
 * deadline" control needs a margin that a loaded machine's latency cannot eat.
 */
export const LAB_IDLE = `${3 * timeScale()}s`;
export const LAB_ABSOLUTE = `${8 * timeScale()}s`;
