import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FLAW_DESCRIPTIONS, PLANTABLE_FLAWS, startLab } from "@sessionguard/lab";
import { beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../../../test-setup/time-scale.js";
import type { Report } from "../src/report/model.js";
import { LAB_ABSOLUTE, LAB_IDLE, labConfig, requireBuild, runCli, tempDir, writeConfig } from "./helpers/cli.js";

/** Audits a lab with the given flaws through the real CLI and returns report.json. */
async function auditLab(options: {
  flaws?: string[];
  profile?: "hardened" | "vulnerable";
}): Promise<{ report: Report; stderr: string; code: number | null; dir: string }> {
  const lab = await startLab({ port: 0, idle: LAB_IDLE, absolute: LAB_ABSOLUTE, store: "memory:", ...options });
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
      "json,md",
      "--samples",
      "200",
      "--fail-on",
      "none",
    ]);
    if (run.code !== 0) throw new Error(`audit exited ${run.code}: ${run.stderr.slice(-2000)}`);
    return {
      report: JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report,
      stderr: run.stderr,
      code: run.code,
      dir,
    };
  } finally {
    await lab.close();
  }
}

const aboveInfo = (report: Report) => report.findings.filter((f) => f.severity !== "info").map((f) => f.id);

/**
 * Findings that necessarily come with a planted flaw: a predictable or a
 * repeated token has, by definition, little effective entropy too.
 */
const COUPLED: Readonly<Record<string, readonly string[]>> = {
  "token-predictable": ["token-entropy"],
  "token-duplicate": ["token-entropy"],
};

beforeAll(() => requireBuild());

describe("the hardened profile", () => {
  it("reports no finding above info", { timeout: scaled(120_000) }, async () => {
    const { report } = await auditLab({ profile: "hardened" });
    expect(aboveInfo(report)).toEqual([]);
    const byId = new Map(report.results.map((r) => [r.id, r]));
    for (const id of [
      "fixation",
      "id-adoption",
      "logout-invalidation",
      "credential-change-invalidation",
      "idle-timeout",
      "absolute-timeout",
      "invalid-id-throttling",
      // The lab keeps each user's newest three sessions: an evict-oldest limit the check must see as one.
      "concurrent-sessions",
      "cookie-secure",
      "cookie-httponly",
    ]) {
      expect(byId.get(id as never)?.status, `${id}: ${byId.get(id as never)?.reason}`).toBe("passed");
    }
    expect(report.tokens.samples).toBeGreaterThanOrEqual(100);
  });
});

describe.concurrent("each planted flaw is reported", () => {
  for (const flaw of PLANTABLE_FLAWS) {
    it(`${flaw}: ${FLAW_DESCRIPTIONS[flaw]}`, { timeout: scaled(180_000) }, async () => {
      const { report } = await auditLab({ flaws: [flaw] });
      const result = report.results.find((r) => r.id === flaw);
      expect(result?.status, `${flaw}: ${result?.reason}`).toBe("vulnerable");
      const finding = report.findings.find((f) => f.id === flaw);
      expect(finding?.reproduce.length).toBeGreaterThan(0);
      // Precision: nothing else above info, so a planted flaw is reported as itself.
      expect(aboveInfo(report).filter((id) => id !== flaw && !(COUPLED[flaw] ?? []).includes(id))).toEqual([]);
    });
  }
});
