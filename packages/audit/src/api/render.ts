import { AuditError } from "../errors.js";
import { isReportFormat, type ReportFormat, renderReport as render } from "../report/index.js";
import type { Report } from "../report/model.js";
import type { RenderOptions } from "../report/options.js";

export { REPORT_FILES, REPORT_FORMATS, type ReportFormat } from "../report/index.js";
export type { RenderOptions } from "../report/options.js";

/**
 * Renders a report model as the text of `report.md`, `report.html`,
 * `report.json` or `report.sarif` (SPEC §2.4). Pure: no file, no console.
 * Reports from {@link runAudit} and {@link analyzeTokens} are already
 * redacted (tokens, cookies and credentials), so the text is safe to store.
 *
 * @param report - the report model
 * @param format - `md` (the report template), `html` (with token charts), `json` (the CONTRACT shape) or `sarif` (SARIF 2.1.0)
 * @param options - the entropy floor drawn in the charts when the report does not carry one (default 64 bits)
 * @returns the document; write it to `REPORT_FILES[format]` to match the CLI's file names
 * @throws {@link AuditError} `ERR_USAGE` for a format outside `md`, `html`, `json`, `sarif`
 */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  // JavaScript callers have no compiler to catch a wrong format.
  if (!isReportFormat(format)) {
    throw new AuditError(
      "ERR_USAGE",
      `unknown report format "${String(format).slice(0, 20)}"; use one of md, html, json, sarif`,
    );
  }
  return render(report, format, options);
}
