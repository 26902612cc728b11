import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startLab } from "@sessionguard/lab";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { CLI, labConfig, requireBuild, runCli, tempDir, writeConfig } from "./helpers/cli.js";

beforeAll(() => requireBuild());

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("exit codes and errors (SPEC §2.1)", () => {
  it("2 for usage errors, with a message that says what to change", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["audit"], /no target/],
      [["audit", "not a url"], /not a URL/],
      [["audit", "http://127.0.0.1:1", "--format", "pdf"], /unknown format "pdf"/],
      [["audit", "http://127.0.0.1:1", "--samples", "5"], /--samples/],
      [["audit", "http://127.0.0.1:1", "--fail-on", "severe"], /--fail-on/],
      [["audit", "http://127.0.0.1:1", "--out", "-"], /exactly one --format/],
      [["audit", "http://127.0.0.1:1", "--config", "/nonexistent/sg.json"], /does not exist/],
      [["frobnicate"], /unknown command/],
      [["lab", "--port", "99999"], /--port/],
      [["lab", "--host", "0.0.0.0"], /loopback/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      noStackTrace(run.stderr);
    }
  });

  it("2 for an invalid config, naming every wrong key", async () => {
    const dir = tempDir();
    const config = writeConfig(dir, {
      login: { url: "/login", form: { u: "a" } },
      policy: { maxIdle: "soon" },
      typo: 1,
    });
    const run = await runCli(["audit", "http://127.0.0.1:1", "--config", config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/policy\.maxIdle: must be a duration/);
    expect(run.stderr).toMatch(/typo/);
    expect(run.stderr).toMatch(/authCheck/);
    writeFileSync(config, "{ not json");
    const bad = await runCli(["audit", "http://127.0.0.1:1", "--config", config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
  });

  it("3 when the target is unreachable, without a stack trace", async () => {
    const port = await closedPort();
    const run = await runCli(["audit", `http://127.0.0.1:${port}`, "--quiet"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/ECONNREFUSED|failed/);
    noStackTrace(run.stderr);
  });

  it("3 when the login fails, and the password is not printed", async () => {
    const lab = await startLab({ port: 0, store: "memory:" });
    try {
      const dir = tempDir();
      const config = writeConfig(
        dir,
        labConfig({ login: { url: "/login", form: { username: "alice", password: "wrong-Pa55word" } } }),
      );
      const run = await runCli(["audit", lab.url, "--config", config, "--out", dir]);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/did not produce a session/);
      expect(run.stderr + run.stdout).not.toContain("wrong-Pa55word");
      noStackTrace(run.stderr);
    } finally {
      await lab.close();
    }
  });
});

describe("reports and --fail-on", () => {
  it("writes md, html, json and sarif; exit 1 at --fail-on; no token or password in any file", async () => {
    const lab = await startLab({ port: 0, flaws: ["fixation"], idle: "3s", absolute: "8s" });
    try {
      const dir = tempDir();
      const config = writeConfig(dir, labConfig());
      const run = await runCli([
        "audit",
        lab.url,
        "--config",
        config,
        "--out",
        dir,
        "--format",
        "md,html,json,sarif",
        "--samples",
        "100",
      ]);
      expect(run.code, run.stderr.slice(-1500)).toBe(1);
      for (const file of ["report.md", "report.html", "report.json", "report.sarif"])
        expect(existsSync(join(dir, file))).toBe(true);
      const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
      expect(report.tool).toBe("sessionguard");
      expect(report.findings.map((f) => f.id)).toContain("fixation");
      expect(run.stderr).toMatch(/requests/);
      const all = ["report.md", "report.html", "report.json", "report.sarif"]
        .map((f) => readFileSync(join(dir, f), "utf8"))
        .join("\n");
      expect(all).not.toContain("alice-pw");
      // No 43-character token issued by the lab leaks into the reports.
      expect(all).not.toMatch(/__Host-sid=[A-Za-z0-9_-]{43}/);
      // A second lab: the first audit's throttling probe leaves this client blocked for a minute, as it should.
      const second = await startLab({ port: 0, flaws: ["fixation"], idle: "3s", absolute: "8s" });
      try {
        const critical = await runCli([
          "audit",
          second.url,
          "--config",
          config,
          "--out",
          tempDir(),
          "--samples",
          "100",
          "--fail-on",
          "critical",
          "--quiet",
        ]);
        expect(critical.code, critical.stderr).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      await lab.close();
    }
  });

  it("--out - --format json prints only the report on stdout", async () => {
    const lab = await startLab({ port: 0, store: "memory:" });
    try {
      const run = await runCli(["audit", lab.url, "--out", "-", "--format", "json", "--samples", "100"]);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      expect(report.target).toBe(`${lab.url}/`);
      expect(report.results).toHaveLength(28);
    } finally {
      await lab.close();
    }
  });
});

describe("sessionguard tokens", () => {
  it("names md5 of a counter in a pasted list, from a file and from stdin", async () => {
    const tokens = Array.from({ length: 300 }, (_, i) =>
      createHash("md5")
        .update(String(1000 + i))
        .digest("hex"),
    );
    const dir = tempDir();
    const file = join(dir, "tokens.txt");
    writeFileSync(file, `${tokens.join("\n")}\n`);
    const run = await runCli(["tokens", file, "--out", dir, "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
    expect(report.findings.map((f) => f.id)).toContain("token-predictable");
    expect(report.tokens.generator ?? "").toMatch(/md5/i);
    const piped = await runCli(["tokens", "-", "--out", "-", "--format", "json"], { stdin: tokens.join("\n") });
    expect((JSON.parse(piped.stdout) as Report).findings.map((f) => f.id)).toContain("token-predictable");
    const empty = await runCli(["tokens", "-"], { stdin: "\n\n" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no tokens/);
  });
});

describe("sessionguard lab (SPEC §4.1)", () => {
  it("prints `listening on http://HOST:PORT` first and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [CLI, "lab", "--port", "0", "--store", "memory:"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const first = await new Promise<string>((resolve) => {
      child.stdout.once("data", (d: Buffer) => resolve(d.toString().split("\n")[0] ?? ""));
    });
    expect(first).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${first.slice("listening on ".length)}/health`);
    expect(health.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on("close", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });
});
