import type { Severity } from "../report/model.js";

/** A static finding: data, formatted elsewhere. Lines and columns are 1-based. */
export interface StaticFinding {
  /** SPEC §2.3 id or `code-*` id. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  /** Path as given on the command line (relative to the working directory when possible). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** The source line(s) of the finding, trimmed to 200 characters. */
  readonly snippet: string;
  /** The fix as code to paste. */
  readonly fix: string;
}

/** A finding silenced by `sessionguard-ignore <id> : <reason>`; listed in the report. */
export interface Suppression {
  readonly finding: StaticFinding;
  readonly reason: string;
}

/** A file that could not be analysed: reported, never a crash of the run. */
export interface ParseFailure {
  readonly file: string;
  /** `parse`: not valid JS/TS/PHP; `crash`: a rule threw (a bug in sessionguard). */
  readonly kind: "parse" | "crash";
  readonly message: string;
}
