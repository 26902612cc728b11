/**
 * Report renderers (SPEC §2.4): pure functions from the report model to the
 * text of `report.md`, `report.html`, `report.json` and `report.sarif`.
 * Redaction happens before, on the model ({@link redactReport}).
 */
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";
import type { RenderOptions } from "./options.js";
import { renderSarif } from "./sarif.js";

export { renderHtml } from "./html.js";
export { renderJson } from "./json.js";
export { renderMarkdown } from "./markdown.js";
export { DEFAULT_MIN_ENTROPY_BITS, type RenderOptions } from "./options.js";
export { Redactor, redacted, redactReport } from "./redact.js";
export { INFORMATION_URI, renderSarif, SARIF_LEVEL, SARIF_SCHEMA, SECURITY_SEVERITY } from "./sarif.js";

/** Output formats of `--format` (SPEC §2.1, CONTRACT). */
export type ReportFormat = "md" | "html" | "json" | "sarif";

/** Every format, in the order of SPEC §2.1. */
export const REPORT_FORMATS: readonly ReportFormat[] = ["md", "html", "json", "sarif"];

/** Formats written when `--format` is not given (SPEC §2.1). */
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ["md", "html", "json"];

/** File name of each format inside `--out` (SPEC §2.1, CONTRACT). */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  md: "report.md",
  html: "report.html",
  json: "report.json",
  sarif: "report.sarif",
};

/** Type guard for a `--format` list entry. */
export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Renders `report` in one format. Pure: the caller redacts the model first
 * and writes the string to `REPORT_FILES[format]` or stdout.
 */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case "md":
      return renderMarkdown(report, options);
    case "html":
      return renderHtml(report, options);
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report);
    default: {
      const never: never = format;
      throw new TypeError(`unknown report format: ${String(never)}`);
    }
  }
}
