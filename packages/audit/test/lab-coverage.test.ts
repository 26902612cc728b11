import { PLANTABLE_FLAWS, UNPLANTABLE_FLAWS } from "@sessionguard/lab";
import { describe, expect, it } from "vitest";
import { ALL_CHECKS, CHECK_IDS } from "../src/checks/index.js";

describe("check ids, checks and lab flaws agree", () => {
  it("every check id has exactly one check module", () => {
    expect(ALL_CHECKS.map((c) => c.id).sort()).toEqual([...CHECK_IDS].sort());
  });

  it("every check id is plantable in the lab or says why not, and the lab plants nothing else", () => {
    const covered = [...PLANTABLE_FLAWS, ...Object.keys(UNPLANTABLE_FLAWS)].sort();
    expect(covered).toEqual([...CHECK_IDS].sort());
  });
});
