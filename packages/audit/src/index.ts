/**
 * The sessionguard auditor as a library: everything the `sessionguard` CLI
 * does, without printing or writing files.
 *
 * - {@link runAudit} — audit a live web application (config in, report model out).
 * - {@link analyzeTokens} — judge a list of captured session tokens, as `sessionguard tokens` does.
 * - {@link analyzeLogs} + {@link logReport} — find hijacked sessions, id guessing and use after logout
 *   in access logs or the library's event log, as `sessionguard logs` does (SPEC §3).
 * - {@link renderReport} — a report model as Markdown, HTML, JSON or SARIF text.
 * - {@link parseConfig} / {@link loadConfig} — validate an audit configuration (SPEC §2.2).
 * - {@link AuditError} — every failure, with a stable `code`.
 *
 * The lab (`sessionguard lab`, `demo`) is a separate package and is not needed here.
 *
 * @example
 * ```ts
 * import { writeFile } from "node:fs/promises";
 * import { AuditError, hasFindingAtOrAbove, renderReport, runAudit } from "@sessionguard/audit";
 *
 * try {
 *   const report = await runAudit({
 *     target: "http://127.0.0.1:8080",
 *     login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
 *     authCheck: { url: "/account", loggedIn: "Signed in as alice" },
 *   });
 *   await writeFile("report.sarif", renderReport(report, "sarif"));
 *   if (hasFindingAtOrAbove(report, "high")) process.exitCode = 1;
 * } catch (error) {
 *   if (error instanceof AuditError && error.code === "ERR_TARGET_UNREACHABLE") process.exitCode = 3;
 *   else throw error;
 * }
 * ```
 * @packageDocumentation
 */

export {
  type AuditBudget,
  type AuditProgress,
  DEFAULT_SAMPLES,
  MAX_SAMPLES,
  MIN_SAMPLES,
  type RunAuditOptions,
  runAudit,
} from "./api/audit.js";
export {
  type AuditConfig,
  type AuditConfigInput,
  isResolvedConfig,
  loadConfig,
  type ParseConfigOptions,
  parseConfig,
} from "./api/config.js";
export { type FailOn, hasFindingAtOrAbove } from "./api/gate.js";
export { REPORT_FILES, REPORT_FORMATS, type RenderOptions, type ReportFormat, renderReport } from "./api/render.js";
export { type AnalyzeTokensOptions, analyzeTokens, parseTokenList, type TokenSample } from "./api/tokens.js";
export { CHECK_IDS, type CheckId } from "./checks/index.js";
export { AuditError, type AuditErrorCode, exitCodeOf } from "./errors.js";
export { type AnalyzeLogsOptions, analyzeLogs, type LogProgress } from "./logs/analyze-logs.js";
export { type LogReportContext, logReport } from "./logs/to-report.js";
export {
  type CheckResult,
  type CheckStatus,
  type Confidence,
  type Finding,
  type PlatformFix,
  type Report,
  type Risk,
  SEVERITIES,
  type Severity,
  type TokenCharts,
  type TokenSummary,
} from "./report/model.js";
export { VERSION } from "./version.js";
