import { PLANTABLE_FLAWS, UNPLANTABLE_FLAWS } from "@sessionguard/lab";
import { describe, expect, it } from "vitest";
import { ALL_CHECKS, CHECK_IDS } from "../src/checks/index.js";

describe("check ids, checks and lab flaws agree", () => {
  it("every check lives in one module named after its id, and no id repeats", async () => {
    expect(new Set(CHECK_IDS).size).toBe(ALL_CHECKS.length);
    for (const check of ALL_CHECKS) {
      const module = (await import(`../src/checks/${check.id}.ts`)) as Record<string, unknown>;
      expect(Object.values(module), check.id).toContain(check);
    }
  });

  it("every check id is plantable in the lab or says why not, and the lab plants nothing else", () => {
    const covered = [...PLANTABLE_FLAWS, ...Object.keys(UNPLANTABLE_FLAWS)].sort();
    expect(covered).toEqual([...CHECK_IDS].sort());
  });

  it("the lab lists its plantable flaws in the registry's order (SPEC §2.3)", () => {
    expect([...PLANTABLE_FLAWS]).toEqual(CHECK_IDS.filter((id) => !(id in UNPLANTABLE_FLAWS)));
  });
});
