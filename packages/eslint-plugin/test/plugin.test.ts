import { join } from "node:path";
import tsParser from "@typescript-eslint/parser";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { CORPUS, corpusPath, corpusUnits, expectedLabels } from "../../audit/test/helpers/static-corpus.js";
import plugin, { rules } from "../src/index.js";

// The same labelled corpus as `sessionguard check`, linted by a real ESLint 9. The
// suppression fixtures are left out: in ESLint, eslint-disable comments do that job.
const units = corpusUnits().filter((u) => u.name.startsWith("js/") && !u.name.startsWith("js/suppression/"));

function eslint(): ESLint {
  return new ESLint({
    cwd: CORPUS,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ["**/*.{js,mjs,cjs}"], languageOptions: { ecmaVersion: "latest" } },
      { files: ["**/*.ts"], languageOptions: { parser: tsParser } },
      plugin.configs.recommended as never,
    ],
  });
}

describe("eslint-plugin-sessionguard in ESLint 9", () => {
  it("registers every rule with docs.url pointing at its section", () => {
    expect(Object.keys(rules).length).toBeGreaterThanOrEqual(15);
    for (const [name, rule] of Object.entries(rules)) {
      expect(rule.meta.docs.url).toMatch(new RegExp(`docs/static-checks\\.md#${name}$`));
      expect(plugin.configs.recommended.rules[`sessionguard/${name}`]).toMatch(/^(error|warn)$/);
    }
  });

  it("classifies the JS/TS corpus exactly as `sessionguard check` does", async () => {
    const results = await eslint().lintFiles(units.map((u) => u.paths[0] as string));
    expect(results.length).toBe(units.length);
    const actual: string[] = [];
    for (const r of results) {
      for (const m of r.messages) {
        expect(m.fatal ?? false, `${r.filePath}: ${m.message}`).toBe(false);
        actual.push(`${corpusPath(r.filePath)}#${(m.ruleId ?? "").replace(/^sessionguard\//, "")}@${m.line}`);
      }
    }
    const expected = units.flatMap((u) => u.labelled.flatMap(expectedLabels));
    expect(actual.sort()).toEqual(expected.sort());
  });

  it("reports a finding with the rule's message and a level from the preset", async () => {
    const [result] = await eslint().lintFiles([join(CORPUS, "js/jwt/verify-no-algorithms.cjs")]);
    expect(result?.messages.map((m) => [m.ruleId, m.severity, m.line])).toEqual([
      ["sessionguard/code-jwt-no-algorithms", 2, 4],
    ]);
    expect(result?.messages[0]?.message).toContain("algorithms");
  });
});
