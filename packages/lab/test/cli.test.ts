/**
 * The `sessionguard-lab` command (SPEC §4.1, CONTRACT): built with `tsc -b`,
 * then run as a real process.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, test } from "vitest";
import { request } from "./helpers/client.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const TSC = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));

beforeAll(async () => {
  try {
    await promisify(execFile)(process.execPath, [TSC, "-b", "packages/lab"], { cwd: ROOT });
  } catch (error) {
    // tsc reports compile errors on stdout; show them instead of a bare "Command failed".
    throw new Error(`tsc -b packages/lab failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
}, 120_000);

interface Run {
  readonly child: ChildProcess;
  readonly stderr: () => string;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return { child, stderr: () => stderr };
}

/** The first stdout line of a running lab. */
async function firstLine(child: ChildProcess): Promise<string> {
  let buffered = "";
  child.stdout?.setEncoding("utf8");
  for await (const chunk of child.stdout ?? []) {
    buffered += chunk as string;
    const end = buffered.indexOf("\n");
    if (end >= 0) return buffered.slice(0, end);
  }
  return buffered;
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, "exit")) as [number | null];
  return code;
}

describe("sessionguard-lab command", () => {
  test("--flaws prints 'listening on http://127.0.0.1:PORT' first, serves the flawed app, exits 0 on SIGTERM", async () => {
    const { child, stderr } = run(["--port", "0", "--flaws", "fixation,cookie-persistent", "--idle", "2s"]);
    try {
      const line = await firstLine(child);
      expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      const url = line.slice("listening on ".length);
      expect((await request(url, "/health")).status).toBe(200);
      const cookie = (await request(url, "/")).cookie("__Host-sid");
      expect(cookie?.attributes.get("max-age")).toBe("2592000");
      expect(stderr()).toContain("profile flawed, flaws cookie-persistent,fixation");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exitCode(child)).toBe(0);
  });

  test("--profile vulnerable starts and exits 0 on SIGINT", async () => {
    const { child } = run(["--port", "0", "--profile", "vulnerable"]);
    try {
      const url = (await firstLine(child)).slice("listening on ".length);
      expect((await request(url, "/")).cookie("sid")?.value).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exitCode(child)).toBe(0);
  });

  test("an unknown flaw id exits 2 with the list of plantable ids and no stack trace", async () => {
    const { child, stderr } = run(["--flaws", "fixation,telepathy"]);
    expect(await exitCode(child)).toBe(2);
    expect(stderr()).toContain("unknown flaw id: telepathy");
    expect(stderr()).toContain("Plantable ids: token-length,");
    expect(stderr()).not.toMatch(/\n\s+at /);
  });

  test("a non-loopback host and an unknown profile exit 2", async () => {
    const host = run(["--host", "0.0.0.0", "--profile", "vulnerable"]);
    expect(await exitCode(host.child)).toBe(2);
    expect(host.stderr()).toContain("not a loopback address");
    const profile = run(["--profile", "wide-open"]);
    expect(await exitCode(profile.child)).toBe(2);
  });
});
