import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { STATIC_CATALOGUE } from "../src/static/catalogue.js";
import { checkFiles } from "../src/static/check-files.js";

const DOCS = fileURLToPath(new URL("../../../docs/static-checks.md", import.meta.url));
const text = readFileSync(DOCS, "utf8");
const EXAMPLE = /<!-- (bad|good):([a-z-]+):([a-z]+) -->\n```[a-z]*\n([\s\S]*?)```/g;
const examples = [...text.matchAll(EXAMPLE)].map((m) => ({
  kind: m[1] as "bad" | "good",
  id: m[2] as string,
  ext: m[3] as string,
  code: m[4] as string,
}));
const dir = mkdtempSync(join(tmpdir(), "sg-docs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/static-checks.md is checked against the rules", () => {
  it("documents every id with a bad and a good example and a section", () => {
    for (const id of STATIC_CATALOGUE.keys()) {
      expect(text).toContain(`### ${id}\n`);
      expect(
        examples
          .filter((e) => e.id === id)
          .map((e) => e.kind)
          .sort(),
      ).toEqual(["bad", "good"]);
    }
  });

  it.each(examples.map((e) => [`${e.kind} ${e.id}`, e] as const))("%s", async (_name, example) => {
    const file = join(dir, `${example.kind}-${example.id}.${example.ext}`);
    writeFileSync(file, example.code);
    const outcome = await checkFiles([file], { cwd: dir });
    expect(outcome.failures).toEqual([]);
    const ids = outcome.findings.map((f) => f.ruleId);
    if (example.kind === "bad") expect(ids).toContain(example.id);
    else expect(ids).not.toContain(example.id);
  });
});
