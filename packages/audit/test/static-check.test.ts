import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../src/report/model.js";
import { checkFiles } from "../src/static/check-files.js";
import { requireBuild, runCli } from "./helpers/cli.js";
import { CORPUS } from "./helpers/static-corpus.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FLAWED = join(ROOT, "packages/lab/src/flawed");

/** 1-based numbers of the lines of `file` that contain `text`. */
function linesWith(file: string, text: string): number[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
}

interface PhysicalLocation {
  readonly artifactLocation: { readonly uri: string };
  readonly region: {
    readonly startLine: number;
    readonly startColumn: number;
    readonly snippet: { readonly text: string };
  };
}

const aboveInfo = (f: { severity: string }): boolean =>
  SEVERITIES.indexOf(f.severity as never) < SEVERITIES.indexOf("info");

describe("sessionguard check on the lab and on this repository", () => {
  it("finds the flaws planted in the flawed profile's source", async () => {
    const outcome = await checkFiles([FLAWED], { cwd: ROOT });
    const tokens = join(FLAWED, "tokens.ts");
    const app = join(FLAWED, "app.ts");
    // The deterministic generators of token-predictable and the counter of token-entropy's generator.
    const expectedTokens = [
      ...linesWith(tokens, 'hex("md5", String(++counter))'),
      ...linesWith(tokens, 'hex("sha1", String(++counter))'),
      ...linesWith(tokens, 'hex("sha256", String(++counter))'),
      ...linesWith(tokens, 'hex("md5", String(Date.now()))'),
      ...linesWith(tokens, "++counter}-"),
      ...linesWith(tokens, "String(++sequence))}-"),
    ].map((line) => `packages/lab/src/flawed/tokens.ts#token-predictable@${line}`);
    // id-in-url: links and the post-login redirect carry ?sid=<session id>.
    const expectedUrls = [
      ...linesWith(app, "encodeURIComponent(session.id)}`"),
      ...linesWith(app, "`/account?sid="),
    ].map((line) => `packages/lab/src/flawed/app.ts#id-in-url@${line}`);
    expect(expectedTokens).toHaveLength(6);
    expect(expectedUrls).toHaveLength(2);
    const actual = outcome.findings.map((f) => `${f.file}#${f.ruleId}@${f.line}`).sort();
    expect(actual).toEqual([...expectedTokens, ...expectedUrls].sort());
  });

  it("reports nothing above info on the hardened profile's source", async () => {
    const outcome = await checkFiles([join(ROOT, "packages/lab/src/hardened.ts")], { cwd: ROOT });
    expect(outcome.failures).toEqual([]);
    expect(outcome.findings.filter(aboveInfo)).toEqual([]);
  });

  it("reports nothing above info on this repository (paths in .sessionguardignore are skipped)", async () => {
    const outcome = await checkFiles([ROOT], { cwd: ROOT });
    expect(outcome.files).toBeGreaterThan(100);
    expect(outcome.failures).toEqual([]);
    expect(outcome.findings.filter(aboveInfo)).toEqual([]);
  });
});

describe("sessionguard check CLI", () => {
  it("writes SARIF with physical locations and exits 1 at --fail-on high", async () => {
    requireBuild();
    const run = await runCli(["check", join(CORPUS, "js/jwt"), "--format", "sarif", "--out", "-", "--quiet"]);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as {
      runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: PhysicalLocation }> }> }>;
    };
    const results = sarif.runs[0]?.results ?? [];
    const verify = results.find((r) => r.ruleId === "code-jwt-no-algorithms");
    const location = verify?.locations[0]?.physicalLocation;
    expect(location?.artifactLocation.uri).toMatch(
      /jwt\/(verify-no-algorithms\.cjs|verify-options-no-algorithms\.mjs|jose-insecure\.ts)$/,
    );
    expect(location?.region.startLine).toBeGreaterThan(1);
    expect(location?.region.startColumn).toBeGreaterThan(0);
    expect(location?.region.snippet.text).toMatch(/verify/i);
  });

  it("exits 0 with --fail-on none, 2 on a missing path", async () => {
    requireBuild();
    const clean = await runCli([
      "check",
      join(CORPUS, "js/jwt"),
      "--format",
      "json",
      "--out",
      "-",
      "--fail-on",
      "none",
      "--quiet",
    ]);
    expect(clean.code).toBe(0);
    const report = JSON.parse(clean.stdout) as { findings: Array<{ id: string; evidence: string[] }> };
    expect(report.findings.some((f) => f.id === "jwt-expiry" && /:\d+:\d+\n/.test(f.evidence[0] ?? ""))).toBe(true);
    const missing = await runCli(["check", join(CORPUS, "does-not-exist")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
  });
});
