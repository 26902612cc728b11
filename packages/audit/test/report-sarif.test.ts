/**
 * Structural checks written by hand from the SARIF 2.1.0 specification
 * (OASIS, sections 3.13 sarifLog, 3.14 run, 3.18–3.19 tool/driver, 3.49
 * reportingDescriptor, 3.27 result, 3.28 location, 3.29 physicalLocation),
 * plus GitHub code scanning's `security-severity` convention.
 */
import { describe, expect, it } from "vitest";
import { ALL_CHECKS, CHECK_IDS } from "../src/checks/index.js";
import type { Report } from "../src/report/model.js";
import { renderSarif, SECURITY_SEVERITY } from "../src/report/sarif.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

type Json = Record<string, unknown>;
const LEVELS = ["none", "note", "warning", "error"];
const KINDS = ["notApplicable", "pass", "fail", "review", "open", "informational"];

function obj(value: unknown, where: string): Json {
  expect(value, where).toBeTypeOf("object");
  expect(value, where).not.toBeNull();
  expect(Array.isArray(value), where).toBe(false);
  return value as Json;
}

function message(value: unknown, where: string): void {
  const m = obj(value, where);
  expect(typeof m.text === "string" && m.text.length > 0, `${where}.text`).toBe(true);
}

function isAbsoluteUri(s: unknown): boolean {
  if (typeof s !== "string") return false;
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

/** Asserts the SARIF 2.1.0 required properties and value constraints; returns the run. */
function validate(text: string, report: Report): Json {
  const log = obj(JSON.parse(text), "sarifLog");
  expect(log.version).toBe("2.1.0");
  expect(isAbsoluteUri(log.$schema)).toBe(true);
  expect(Array.isArray(log.runs)).toBe(true);
  const runs = log.runs as unknown[];
  expect(runs).toHaveLength(1);
  const run = obj(runs[0], "run");

  const driver = obj(obj(run.tool, "run.tool").driver, "driver");
  expect(driver.name).toBe("sessionguard");
  expect(driver.version).toBe(report.version);
  expect(isAbsoluteUri(driver.informationUri)).toBe(true);
  const rules = driver.rules as unknown[];
  expect(Array.isArray(rules)).toBe(true);
  const ids = rules.map((r, i) => {
    const rule = obj(r, `rules[${i}]`);
    expect(typeof rule.id).toBe("string");
    expect(rule.name).toMatch(/^[A-Z][A-Za-z]+$/);
    message(rule.shortDescription, `${rule.id}.shortDescription`);
    message(rule.fullDescription, `${rule.id}.fullDescription`);
    const help = obj(rule.help, `${rule.id}.help`);
    message(help, `${rule.id}.help`);
    expect(typeof help.markdown === "string" && help.markdown.length > 0).toBe(true);
    expect(isAbsoluteUri(rule.helpUri)).toBe(true);
    expect(LEVELS).toContain(obj(rule.defaultConfiguration, "defaultConfiguration").level);
    const props = obj(rule.properties, `${rule.id}.properties`);
    const tags = props.tags as string[];
    expect(tags).toContain("security");
    expect(new Set(tags).size, "tags are unique (SARIF 3.8.4)").toBe(tags.length);
    const entry = ALL_CHECKS.find((c) => c.id === rule.id)?.catalogue;
    if (entry === undefined) throw new Error(`rule ${String(rule.id)} is no check of the registry`);
    for (const n of entry.cwe) expect(tags).toContain(`external/cwe/cwe-${n}`);
    const sev = props["security-severity"];
    expect(typeof sev).toBe("string");
    expect(Number(sev)).toBeGreaterThanOrEqual(0);
    expect(Number(sev)).toBeLessThanOrEqual(10);
    expect(sev).toBe(SECURITY_SEVERITY[entry.severity]);
    return rule.id as string;
  });
  expect(ids).toEqual([...CHECK_IDS]);
  expect(new Set(ids).size).toBe(ids.length);

  const invocations = run.invocations as Json[];
  expect(invocations[0]?.executionSuccessful).toBe(true);
  expect(invocations[0]?.startTimeUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

  const results = run.results as unknown[];
  expect(Array.isArray(results)).toBe(true);
  results.forEach((r, i) => {
    const res = obj(r, `results[${i}]`);
    expect(ids, "every ruleId names a rule").toContain(res.ruleId);
    if (res.ruleIndex !== undefined) expect(ids[res.ruleIndex as number]).toBe(res.ruleId);
    expect(LEVELS).toContain(res.level);
    expect(KINDS).toContain(res.kind);
    // SARIF 3.27.9: a result whose kind is not "fail" must have level "none".
    if (res.kind !== "fail") expect(res.level).toBe("none");
    message(res.message, `results[${i}].message`);
    const loc = obj((res.locations as unknown[])[0], "locations[0]");
    const artifact = obj(obj(loc.physicalLocation, "physicalLocation").artifactLocation, "artifactLocation");
    expect(artifact.uri).toBe(report.target);
    const fp = obj(res.partialFingerprints, "partialFingerprints");
    for (const v of Object.values(fp)) expect(v).toMatch(/^[0-9a-f]{32}$/);
  });
  return run;
}

describe("renderSarif", () => {
  it("is a structurally valid SARIF 2.1.0 log with every check as a rule", () => {
    const report = sampleReport();
    const run = validate(renderSarif(report), report);
    const results = run.results as Json[];
    expect(results.map((r) => r.ruleId)).toEqual(report.findings.map((f) => f.id));
  });

  it("maps severities to levels and GitHub security-severity scores", () => {
    const run = validate(renderSarif(sampleReport()), sampleReport());
    const byRule = new Map((run.results as Json[]).map((r) => [r.ruleId, r]));
    expect(byRule.get("token-predictable")?.level).toBe("error");
    expect((byRule.get("token-predictable")?.properties as Json | undefined)?.["security-severity"]).toBe("9.5");
    expect(byRule.get("fixation")?.level).toBe("error");
    expect(byRule.get("token-length")?.level).toBe("warning");
    expect(byRule.get("cookie-samesite")?.level).toBe("note");
    expect(SECURITY_SEVERITY).toEqual({ critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" });
  });

  it("fingerprints findings by check and origin, so re-runs match the same alert", () => {
    const a = sampleReport();
    const b = { ...sampleReport(), startedAt: "2026-01-01T00:00:00.000Z", target: "http://127.0.0.1:8080/other" };
    const fps = (r: Report): unknown[] =>
      ((JSON.parse(renderSarif(r)) as { runs: [{ results: Json[] }] }).runs[0].results ?? []).map(
        (x) => x.partialFingerprints,
      );
    expect(fps(b)).toEqual(fps(a));
    expect(new Set(fps(a).map((x) => JSON.stringify(x))).size).toBe(a.findings.length);
  });

  it("renders a clean audit as a valid log with all rules and no results", () => {
    const report = emptyReport();
    const run = validate(renderSarif(report), report);
    expect(run.results).toEqual([]);
  });
});
