/**
 * The auditor as users install it: `npm pack`, then `npm install` of the
 * tarball in an empty folder outside the repository, with no compiler and no
 * workspace around it (issue 8: "installs and imports from a packed tarball
 * without a compiler"). Slow by nature (npm pack and install), so every step
 * waits for its process to exit and the tests carry an explicit budget.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { requireBuild } from "./helpers/cli.js";

/** npm pack + install on a loaded CI machine: minutes, not seconds. */
const BUDGET_MS = 600_000;

const AUDIT_DIR = fileURLToPath(new URL("..", import.meta.url));
/** The session library, a runtime dependency of the auditor (log analysis reads its event types); not yet on the registry. */
const LIBRARY_DIR = fileURLToPath(new URL("../../sessionguard", import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for nested npm and the installed bin: `npm test` exports
 * its own settings as `npm_*` variables (among them the repository as
 * `local_prefix`), which would point a nested npm back at the workspace.
 * Only the settings that say where the cache and the registry are stay.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(cache|userconfig|globalconfig|registry|cafile|proxy|https_proxy|noproxy)$/i;
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) || keep.test(key)) env[key] = value;
  }
  env.NO_COLOR = "1";
  return env;
}

/** Runs a command to its exit (no timer: the test's budget is the only limit). */
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr: error !== null && code === null ? `${stderr}\n${error.message}` : stderr });
    });
  });
}

/** npm itself: the one running `npm test` when there is one, else the one on PATH. */
function npm(args: readonly string[], cwd: string): Promise<Run> {
  const cli = process.env.npm_execpath;
  return cli !== undefined && /npm-cli\.c?js$/.test(cli)
    ? run(process.execPath, [cli, ...args], cwd)
    : run("npm", args, cwd);
}

const explain = (r: Run): string => `exit ${r.code}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`;

let root = "";
let app = "";
let bin = "";

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), "sg-pack-"));
  app = join(root, "app");
  mkdirSync(app);
  const tarballs: string[] = [];
  for (const dir of [LIBRARY_DIR, AUDIT_DIR]) {
    const packed = await npm(["pack", "--json", "--ignore-scripts", "--pack-destination", root], dir);
    expect(packed.code, explain(packed)).toBe(0);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    tarballs.push(join(root, filename));
  }
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "sg-pack-consumer", private: true, type: "module" }, null, 2),
  );
  const installed = await npm(
    ["install", ...tarballs, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
    app,
  );
  expect(installed.code, explain(installed)).toBe(0);
  bin = join(app, "node_modules", ".bin", "sessionguard");
}, BUDGET_MS);

afterAll(() => {
  if (root !== "") rmSync(root, { recursive: true, force: true });
});

describe("npm install @sessionguard/audit (packed tarball, outside the workspace)", () => {
  it("installs neither the lab nor its native and database drivers, nor a compiler", () => {
    const modules = join(app, "node_modules");
    expect(existsSync(join(modules, "@sessionguard", "audit", "dist", "index.js"))).toBe(true);
    expect(existsSync(join(modules, "@sessionguard", "audit", "dist", "index.d.ts"))).toBe(true);
    for (const name of ["@sessionguard/lab", "better-sqlite3", "ioredis", "pg", "typescript", "tsx"]) {
      expect(existsSync(join(modules, ...name.split("/"))), name).toBe(false);
    }
  });

  it(
    "imports with plain node: runAudit, analyzeTokens and renderReport work",
    async () => {
      const script = `
        const api = await import("@sessionguard/audit");
        const tokens = Array.from({ length: 40 }, (_, i) => "sess_" + String(1000 + i * 7).padStart(8, "0"));
        const report = api.analyzeTokens(tokens, { source: "counter.txt" });
        const json = JSON.parse(api.renderReport(report, "json"));
        let configError = null;
        try { await api.runAudit({ target: "http://127.0.0.1:1", policy: { maxIdle: "soon" } }); }
        catch (error) { configError = error instanceof api.AuditError ? error.code : String(error); }
        console.log(JSON.stringify({
          kinds: Object.fromEntries(["runAudit", "analyzeTokens", "renderReport", "parseConfig", "AuditError"].map((k) => [k, typeof api[k]])),
          generator: json.tokens.generator,
          predictable: json.findings.some((f) => f.id === "token-predictable"),
          leaked: api.renderReport(report, "md").includes(tokens[5]),
          sarif: JSON.parse(api.renderReport(report, "sarif")).version,
          configError,
        }));
      `;
      const result = await run(process.execPath, ["--input-type=module", "-e", script], app);
      expect(result.code, explain(result)).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        kinds: {
          runAudit: "function",
          analyzeTokens: "function",
          renderReport: "function",
          parseConfig: "function",
          AuditError: "function",
        },
        generator: expect.stringMatching(/counter/),
        predictable: true,
        leaked: false,
        sarif: "2.1.0",
        configError: "ERR_CONFIG",
      });
    },
    BUDGET_MS,
  );

  it(
    "runAudit audits a live target from the installed package (selected checks, no output files)",
    async () => {
      // A target with the textbook cookie mistakes: no Secure, no HttpOnly, no SameSite.
      const server = createServer((_request, response) => {
        response.setHeader("Set-Cookie", `sid=${randomBytes(16).toString("hex")}; Path=/`);
        response.end("hello");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const script = `
          const { hasFindingAtOrAbove, runAudit } = await import("@sessionguard/audit");
          const phases = [];
          const report = await runAudit(
            { target: process.argv[1] },
            { checks: ["cookie-secure", "cookie-httponly", "cookie-samesite"], progress: { phase: (name) => phases.push(name) } },
          );
          let typo = null;
          try { hasFindingAtOrAbove(report, "hihg"); } catch (error) { typo = error.code; }
          console.log(JSON.stringify({ report, phases, medium: hasFindingAtOrAbove(report, "medium"), high: hasFindingAtOrAbove(report, "high"), typo }));
        `;
        const result = await run(process.execPath, ["--input-type=module", "-e", script, target], app);
        expect(result.code, explain(result)).toBe(0);
        const { report, phases, medium, high, typo } = JSON.parse(result.stdout) as {
          report: Report;
          phases: string[];
          medium: boolean;
          high: boolean;
          typo: string | null;
        };
        expect(phases[0]).toMatch(/^discovery/);
        expect({ medium, high, typo }).toEqual({ medium: true, high: false, typo: "ERR_USAGE" });
        expect(report.target).toBe(`${target}/`);
        expect(report.findings.map((f) => f.id).sort()).toEqual([
          "cookie-httponly",
          "cookie-samesite",
          "cookie-secure",
        ]);
        expect(report.results.find((r) => r.id === "fixation")?.status).toBe("skipped");
        expect(report.scan?.sessionCookie).toBe("sid");
        expect(existsSync(join(app, "sessionguard-report")), "runAudit writes no file").toBe(false);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    BUDGET_MS,
  );

  it(
    "the installed bin runs: --help, and tokens <file> writes the report",
    async () => {
      const help = await run(bin, ["--help"], app);
      expect(help.code, explain(help)).toBe(0);
      for (const command of ["audit", "tokens", "lab", "demo"]) expect(help.stdout).toContain(command);

      const list = join(app, "tokens.txt");
      writeFileSync(
        list,
        `${Array.from({ length: 40 }, (_, i) => `sess_${String(1000 + i * 7).padStart(8, "0")}`).join("\n")}\n`,
      );
      const out = join(app, "report");
      const tokens = await run(bin, ["tokens", list, "--out", out, "--format", "json,sarif"], app);
      // A counter is a critical finding: exit 1 at the default --fail-on high (SPEC §2.1).
      expect(tokens.code, explain(tokens)).toBe(1);
      const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as Report;
      expect(report.tool).toBe("sessionguard");
      expect(report.findings.map((f) => f.id)).toContain("token-predictable");
      expect(existsSync(join(out, "report.sarif"))).toBe(true);
    },
    BUDGET_MS,
  );

  it(
    "lab and demo exit 2 and say what to install",
    async () => {
      for (const command of ["lab", "demo"]) {
        const result = await run(bin, [command], app);
        expect(result.code, `${command}: ${explain(result)}`).toBe(2);
        expect(result.stderr).toContain("npm install @sessionguard/lab");
        expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }
    },
    BUDGET_MS,
  );
});
