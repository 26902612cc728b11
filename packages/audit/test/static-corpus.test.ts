import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../src/static/check-files.js";
import { CORPUS, corpusPath, corpusUnits, expectedLabels } from "./helpers/static-corpus.js";

const units = corpusUnits();

describe("static corpus: every labelled file is classified exactly", () => {
  it("holds at least 120 labelled files", () => {
    expect(units.reduce((n, u) => n + u.labelled.length, 0)).toBeGreaterThanOrEqual(120);
  });

  it.each(units.map((u) => [u.name, u] as const))("%s", async (_name, unit) => {
    const outcome = await checkFiles(unit.paths, { cwd: CORPUS });
    expect(outcome.failures).toEqual([]);
    const actual = outcome.findings.map((f) => `${f.file}#${f.ruleId}@${f.line}`).sort();
    const expected = unit.labelled.flatMap(expectedLabels).sort();
    expect(actual).toEqual(expected);
    for (const f of outcome.findings) {
      expect(f.snippet.length).toBeGreaterThan(0);
      expect(f.column).toBeGreaterThan(0);
      expect(f.fix.length).toBeGreaterThan(0);
    }
  });
});

describe("static corpus: suppression", () => {
  it("silences a finding only with a reason, and lists it", async () => {
    const justified = await checkFiles([join(CORPUS, "js/suppression/justified.cjs")], { cwd: CORPUS });
    expect(justified.findings).toEqual([]);
    expect(justified.suppressed.map((s) => [s.finding.ruleId, s.finding.line, s.reason])).toEqual([
      ["code-jwt-decode", 4, "only reads the kid header to pick the verification key"],
    ]);
    const bare = await checkFiles([join(CORPUS, "js/suppression/no-reason.cjs")], { cwd: CORPUS });
    expect(bare.suppressed).toEqual([]);
    expect(bare.unjustified).toEqual([{ file: corpusPath(join(CORPUS, "js/suppression/no-reason.cjs")), line: 3 }]);
  });
});
