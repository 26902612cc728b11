import { AuditError } from "../errors.js";
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from "../report/index.js";

export type { ReportFormat } from "../report/index.js";

/**
 * Parses `--format md,html,json,sarif`.
 * @throws AuditError `ERR_USAGE` naming the unknown format
 */
export function parseFormats(list: string): ReportFormat[] {
  const formats = list
    .split(",")
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== "");
  if (formats.length === 0)
    throw new AuditError("ERR_USAGE", `--format needs at least one of ${REPORT_FORMATS.join(",")}`);
  for (const f of formats) {
    if (!isReportFormat(f)) {
      throw new AuditError(
        "ERR_USAGE",
        `--format: unknown format "${f.slice(0, 20)}"; use a comma list of ${REPORT_FORMATS.join(",")}`,
      );
    }
  }
  return [...new Set(formats)] as ReportFormat[];
}
