import { describe, expect, it } from "vitest";
import { CHECK_IDS } from "../src/checks/index.js";
import { renderJson } from "../src/report/json.js";
import type { Report } from "../src/report/model.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

// SPEC §2.4 (CONTRACT), in the documented order.
const TOP = ["tool", "version", "target", "startedAt", "finishedAt", "summary", "results", "findings", "tokens"];
const TOP_EXTENSIONS = ["verification", "scan", "rules"];
const FINDING = [
  "id",
  "title",
  "severity",
  "confidence",
  "cwe",
  "asvs",
  "description",
  "impact",
  "likelihood",
  "evidence",
  "reproduce",
  "recommendation",
  "verification",
  "references",
];
const FINDING_EXTENSIONS = ["code", "args", "fixes", "retest", "headline", "action", "cweNames"];
const TOKENS = ["samples", "bitsPerToken", "effectiveEntropyBits", "generator"];
const TOKEN_EXTENSIONS = ["verdict", "predicted", "warnings", "charts"];

type Json = Record<string, unknown>;

function parse(report: Report): Json {
  return JSON.parse(renderJson(report)) as Json;
}

describe("renderJson", () => {
  it("writes the CONTRACT keys first, in order, and only known extensions after them", () => {
    const doc = parse(sampleReport());
    expect(Object.keys(doc).slice(0, TOP.length)).toEqual(TOP);
    expect(Object.keys(doc).slice(TOP.length)).toEqual(TOP_EXTENSIONS);
    expect(doc.tool).toBe("sessionguard");

    const summary = doc.summary as Json;
    expect(Object.keys(summary)).toEqual(["risk", "counts"]);
    expect(Object.keys(summary.counts as Json)).toEqual(["critical", "high", "medium", "low", "info"]);
    expect(summary.risk).toBe("critical");

    const results = doc.results as Json[];
    expect(results.map((r) => r.id)).toEqual([...CHECK_IDS]);
    for (const r of results) expect(Object.keys(r)).toEqual(["id", "status", "reason"]);

    const findings = doc.findings as Json[];
    expect(findings).toHaveLength(5);
    for (const f of findings) {
      expect(Object.keys(f)).toEqual([...FINDING, ...FINDING_EXTENSIONS]);
      expect(f.code).toMatch(new RegExp(`^${String(f.id)}/[a-z-]+$`));
      expect(typeof f.args === "object" && f.args !== null && !Array.isArray(f.args)).toBe(true);
      expect(Array.isArray(f.cwe) && (f.cwe as unknown[]).every((n) => Number.isInteger(n))).toBe(true);
      expect(Array.isArray(f.evidence) && Array.isArray(f.reproduce) && Array.isArray(f.references)).toBe(true);
    }

    expect((doc.rules as Json[]).map((r) => r.id)).toEqual([...CHECK_IDS]);

    const tokens = doc.tokens as Json;
    expect(Object.keys(tokens)).toEqual([...TOKENS, ...TOKEN_EXTENSIONS]);
    expect(Object.keys(tokens.charts as Json)).toEqual([
      "bitBias",
      "charDistribution",
      "estimates",
      "effectiveEntropyAt",
    ]);
  });

  it("round-trips: parsing the output gives back the report", () => {
    for (const report of [sampleReport(), emptyReport()]) expect(parse(report)).toEqual(report);
  });

  it("is stable: the key order does not depend on how the engine built the objects", () => {
    const report = sampleReport();
    const [first] = report.findings;
    if (first === undefined) throw new Error("fixture has findings");
    const shuffled = {
      tokens: report.tokens,
      findings: [Object.fromEntries(Object.entries(first).reverse()), ...report.findings.slice(1)],
      results: report.results.map((r) => ({ reason: r.reason, status: r.status, id: r.id })),
      summary: { counts: { ...report.summary.counts }, risk: report.summary.risk },
      finishedAt: report.finishedAt,
      startedAt: report.startedAt,
      target: report.target,
      version: report.version,
      tool: report.tool,
      rules: report.rules,
      scan: report.scan,
      verification: report.verification,
    } as unknown as Report;
    expect(renderJson(shuffled)).toBe(renderJson(report));
  });

  it("indents with 2 spaces and ends with a newline", () => {
    const out = renderJson(sampleReport());
    expect(out.startsWith('{\n  "tool": "sessionguard",\n  "version": "0.1.0",')).toBe(true);
    expect(out.endsWith("}\n")).toBe(true);
  });

  it("renders a clean audit with the contract keys and a null generator", () => {
    const doc = parse(emptyReport());
    expect(Object.keys(doc)).toEqual([...TOP, "rules"]);
    expect(doc.findings).toEqual([]);
    expect((doc.summary as Json).risk).toBe("none");
    expect(doc.tokens).toEqual({ samples: 0, bitsPerToken: 0, effectiveEntropyBits: 0, generator: null });
  });
});
