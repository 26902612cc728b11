/**
 * The contract the auditor's tests rely on: `--flaws X` shows X and nothing
 * else above `info`, no flaw shows nothing, and `--profile vulnerable` shows
 * every plantable flaw that its token-generator precedence leaves observable.
 * Observed black-box over HTTP by the probes in helpers/probe.ts.
 */
import { describe, test } from "vitest";
import { PLANTABLE_FLAWS, type PlantableFlaw, startLab, VULNERABLE_MASKED } from "../src/index.js";
import { observe } from "./helpers/probe.js";

const TIMEOUTS = { idle: "600ms", absolute: "1500ms" };
const POLICY = { idleMs: 600, absoluteMs: 1500 };

/** Flaws that must drop the `__Host-` prefix, so cookie-prefix (severity info) shows with them. */
const WITH_PREFIX_LOSS: readonly PlantableFlaw[] = ["cookie-secure", "cookie-scope"];

async function observed(options: { flaws?: string[]; profile?: "vulnerable" }): Promise<string[]> {
  const lab = await startLab({ port: 0, ...TIMEOUTS, ...options });
  try {
    return [...(await observe(lab.url, POLICY))].sort();
  } finally {
    await lab.close();
  }
}

describe.concurrent("flaw matrix", () => {
  test("no flaw planted: nothing to report", async ({ expect }) => {
    expect(await observed({ flaws: [] })).toEqual([]);
  });

  test.for(PLANTABLE_FLAWS)("--flaws %s shows exactly that flaw", async (flaw, { expect }) => {
    const expected = [flaw, ...(WITH_PREFIX_LOSS.includes(flaw) ? ["cookie-prefix"] : [])].sort();
    expect(await observed({ flaws: [flaw] })).toEqual(expected);
  });

  test("--profile vulnerable shows every flaw but the token flaws masked by token-predictable", async ({ expect }) => {
    const expected = PLANTABLE_FLAWS.filter((flaw) => !VULNERABLE_MASKED.includes(flaw)).sort();
    expect(expected).toContain("token-predictable");
    expect(await observed({ profile: "vulnerable" })).toEqual(expected);
  });
});
