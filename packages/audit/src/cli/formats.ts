import { AuditError } from "../errors.js";

/** Report formats of `--format` (SPEC §2.1). */
export type ReportFormat = "md" | "html" | "json" | "sarif";

const FORMATS: readonly ReportFormat[] = ["md", "html", "json", "sarif"];

/**
 * Parses `--format md,html,json,sarif`.
 * @throws AuditError `ERR_USAGE` naming the unknown format
 */
export function parseFormats(list: string): ReportFormat[] {
  const formats = list
    .split(",")
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== "");
  if (formats.length === 0) throw new AuditError("ERR_USAGE", "--format needs at least one of md,html,json,sarif");
  for (const f of formats) {
    if (!FORMATS.includes(f as ReportFormat)) {
      throw new AuditError(
        "ERR_USAGE",
        `--format: unknown format "${f.slice(0, 20)}"; use a comma list of md,html,json,sarif`,
      );
    }
  }
  return [...new Set(formats)] as ReportFormat[];
}
