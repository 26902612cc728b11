import { describe, expect, it } from "vitest";
import {
  DEFAULT_REPORT_FORMATS,
  isReportFormat,
  REPORT_FILES,
  REPORT_FORMATS,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderReport,
  renderSarif,
} from "../src/report/index.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

describe("renderReport", () => {
  it("names the files of SPEC §2.1 (CONTRACT)", () => {
    expect(REPORT_FILES).toEqual({
      md: "report.md",
      html: "report.html",
      json: "report.json",
      sarif: "report.sarif",
    });
    expect(REPORT_FORMATS).toEqual(["md", "html", "json", "sarif"]);
    expect(DEFAULT_REPORT_FORMATS).toEqual(["md", "html", "json"]);
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat("pdf")).toBe(false);
  });

  it("dispatches each format to its renderer", () => {
    const report = sampleReport();
    expect(renderReport(report, "md")).toBe(renderMarkdown(report));
    expect(renderReport(report, "html")).toBe(renderHtml(report));
    expect(renderReport(report, "json")).toBe(renderJson(report));
    expect(renderReport(report, "sarif")).toBe(renderSarif(report));
    expect(renderReport(report, "md", { minEntropyBits: 80 })).toContain("policy floor of 80 bits");
  });

  it("is pure: same input, same output, input untouched", () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    for (const format of REPORT_FORMATS)
      expect(renderReport(report, format)).toBe(renderReport(sampleReport(), format));
    expect(JSON.stringify(report)).toBe(before);
  });

  it.each(REPORT_FORMATS)("renders a clean audit (no findings, risk none) sensibly as %s", (format) => {
    const out = renderReport(emptyReport(), format);
    expect(out.length).toBeGreaterThan(200);
    expect(out.endsWith("\n")).toBe(true);
    switch (format) {
      case "md":
        expect(out).toContain("No findings");
        expect(out).toContain("the overall risk is none");
        break;
      case "html":
        expect(out).toContain("No findings");
        expect(out).toContain('<div class="value">None</div>');
        break;
      case "json": {
        const doc = JSON.parse(out) as { summary: { risk: string }; findings: unknown[] };
        expect(doc.summary.risk).toBe("none");
        expect(doc.findings).toEqual([]);
        break;
      }
      case "sarif": {
        const log = JSON.parse(out) as { runs: [{ results: unknown[]; tool: { driver: { rules: unknown[] } } }] };
        expect(log.runs[0].results).toEqual([]);
        expect(log.runs[0].tool.driver.rules).toHaveLength(28);
        break;
      }
    }
  });
});
