import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { REPORT_FILES, type ReportFormat, renderReport } from "../api/render.js";
import { AuditError } from "../errors.js";
import type { Report } from "../report/model.js";

/**
 * Writes the report in each format to `out` (`report.md`, …), or to stdout
 * when `out` is `-` (then exactly one format, SPEC §2.1).
 * @returns the paths written
 */
export async function writeReport(
  report: Report,
  formats: readonly ReportFormat[],
  out: string,
  stdout: NodeJS.WritableStream,
): Promise<string[]> {
  if (out === "-") {
    if (formats.length !== 1) {
      throw new AuditError("ERR_USAGE", "--out - writes to stdout and needs exactly one --format (e.g. --format json)");
    }
    stdout.write(renderReport(report, formats[0] as ReportFormat));
    return [];
  }
  const dir = resolve(out);
  try {
    await mkdir(dir, { recursive: true });
    const written: string[] = [];
    for (const format of formats) {
      const path = join(dir, REPORT_FILES[format]);
      await writeFile(path, renderReport(report, format), "utf8");
      written.push(path);
    }
    return written;
  } catch (error) {
    if (error instanceof AuditError) throw error;
    throw new AuditError(
      "ERR_USAGE",
      `cannot write the report to ${dir}: ${(error as { code?: string }).code ?? "error"}`,
    );
  }
}
