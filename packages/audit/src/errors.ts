/**
 * Stable error codes of the auditor and the CLI exit code each maps to
 * (SPEC §2.1): usage and configuration mistakes exit 2, a target that cannot
 * be audited exits 3. Messages never contain tokens or passwords.
 *
 * - `ERR_USAGE` — bad command-line arguments (exit 2).
 * - `ERR_CONFIG` — invalid configuration file (exit 2).
 * - `ERR_TARGET_UNREACHABLE` — the target did not answer (exit 3).
 * - `ERR_LOGIN_FAILED` — the configured login did not produce an authenticated session (exit 3).
 * - `ERR_BUDGET` — the request, time or rate budget is used up; checks report `inconclusive`
 *   (exit 3 when it stops the audit before any check, e.g. during discovery or login).
 * - `ERR_OUT_OF_SCOPE` — a request to an origin other than the target was refused (exit 3 when it stops the audit).
 * - `ERR_INPUT` — an input file (token list, log) is unreadable or empty (exit 2).
 */
export type AuditErrorCode =
  | "ERR_USAGE"
  | "ERR_CONFIG"
  | "ERR_TARGET_UNREACHABLE"
  | "ERR_LOGIN_FAILED"
  | "ERR_BUDGET"
  | "ERR_OUT_OF_SCOPE"
  | "ERR_INPUT";

/** The auditor's error type. */
export class AuditError extends Error {
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AuditError";
    this.code = code;
  }
}

/**
 * Exit code of an error per SPEC §2.1: 2 for what the user must change (arguments, configuration,
 * input files), 3 for a target that could not be audited (unreachable, login failed, the budget
 * spent before the checks could run, a redirect out of scope).
 */
export function exitCodeOf(error: unknown): 2 | 3 {
  if (error instanceof AuditError && !USAGE_CODES.has(error.code)) return 3;
  return 2;
}

const USAGE_CODES: ReadonlySet<AuditErrorCode> = new Set(["ERR_USAGE", "ERR_CONFIG", "ERR_INPUT"]);
