import { ALL_CHECKS, CHECK_IDS, type CheckId } from "../checks/index.js";
import type { Check } from "../checks/types.js";
import type { AuditConfig } from "../config/load.js";
import { type Progress, silentProgress } from "../engine/progress.js";
import { runAudit as runEngine } from "../engine/run.js";
import { AuditError } from "../errors.js";
import type { Budget } from "../http/budget.js";
import type { Report } from "../report/model.js";
import { type AuditConfigInput, isResolvedConfig, parseConfig } from "./config.js";

export type { Progress as AuditProgress } from "../engine/progress.js";
export type { Budget as AuditBudget } from "../http/budget.js";

/** Default number of tokens sampled for the `token-*` checks (Burp Sequencer's "reliable for most purposes"). */
export const DEFAULT_SAMPLES = 5000;
/** Fewest tokens worth sampling: below this no statistic means anything. */
export const MIN_SAMPLES = 100;
/** Most tokens sampled in one audit. */
export const MAX_SAMPLES = 200_000;

/** Options of {@link runAudit}. */
export interface RunAuditOptions {
  /**
   * Tokens to sample for the `token-*` checks, from {@link MIN_SAMPLES} to
   * {@link MAX_SAMPLES}. Default {@link DEFAULT_SAMPLES} (5,000); 20,000 gives
   * FIPS 140-2-grade blocks.
   */
  readonly samples?: number;
  /**
   * Run only these check ids (SPEC §2.3); the others are reported as
   * `skipped`. Default: every check.
   */
  readonly checks?: readonly CheckId[];
  /**
   * Where progress goes: a sink, or a function that builds one from the
   * audit's budget (requests sent, time left). Methods left out are not
   * called, so `{ phase: (name) => console.error(name) }` is enough.
   * Default: nothing is reported.
   */
  readonly progress?: Partial<Progress> | ((budget: Budget) => Partial<Progress>);
  /**
   * The command that re-runs this audit, quoted in every finding's
   * verification section. Default `npx sessionguard audit <target>`.
   */
  readonly verification?: string;
  /** Timeout of each HTTP request in milliseconds. Default 15,000. */
  readonly requestTimeoutMs?: number;
}

/**
 * Audits a live web application for session-management flaws (SPEC §2):
 * discovery of the session cookie, a verified login when the configuration
 * has one, then every check of SPEC §2.3 within the configured budget.
 * Prints nothing and writes no file: render the returned model with
 * {@link renderReport}.
 *
 * @param config - the configuration as written in a `--config` file (validated here), or one
 *   already validated by {@link parseConfig} / {@link loadConfig}
 * @param options - samples, check selection, progress, verification command, request timeout
 * @returns the report model (SPEC §2.4), with tokens, cookies and credentials redacted
 * @throws {@link AuditError} `ERR_CONFIG` / `ERR_USAGE` for an invalid configuration or option;
 *   `ERR_TARGET_UNREACHABLE` / `ERR_LOGIN_FAILED` when the target cannot be audited (the CLI's exit 3).
 *   A check that fails or runs out of budget does not throw: its result is `inconclusive` with the reason.
 */
export async function runAudit(config: AuditConfigInput | AuditConfig, options: RunAuditOptions = {}): Promise<Report> {
  const resolved = isResolvedConfig(config) ? config : parseConfig(config);
  const samples = options.samples ?? DEFAULT_SAMPLES;
  if (!Number.isInteger(samples) || samples < MIN_SAMPLES || samples > MAX_SAMPLES) {
    throw new AuditError(
      "ERR_USAGE",
      `samples must be a whole number from ${MIN_SAMPLES} to ${MAX_SAMPLES} (5000 is reliable, 20000 FIPS-grade)`,
    );
  }
  const progress = options.progress;
  const report = await runEngine({
    config: resolved,
    samples,
    checks: selectChecks(options.checks),
    progress: (budget) => complete(typeof progress === "function" ? progress(budget) : progress),
    verification: options.verification ?? `npx sessionguard audit ${resolved.target.href}`,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  if (options.checks === undefined) return report;
  // One result per check id (SPEC §2.3), whatever was selected.
  const ran = new Map(report.results.map((r) => [r.id, r]));
  return {
    ...report,
    results: CHECK_IDS.map((id) => ran.get(id) ?? { id, status: "skipped", reason: NOT_SELECTED }),
  };
}

const NOT_SELECTED = "not selected for this run (RunAuditOptions.checks)";

/** A sink with every method: the ones the caller left out do nothing. */
function complete(sink: Partial<Progress> | undefined): Progress {
  if (sink === undefined) return silentProgress;
  const call =
    <A extends unknown[]>(method: ((...args: A) => void) | undefined) =>
    (...args: A): void => {
      method?.apply(sink, args);
    };
  return { phase: call(sink.phase), step: call(sink.step), note: call(sink.note), done: call(sink.done) };
}

function selectChecks(ids: readonly CheckId[] | undefined): readonly Check[] {
  if (ids === undefined) return ALL_CHECKS;
  const unknown = ids.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new AuditError(
      "ERR_USAGE",
      `unknown check id${unknown.length === 1 ? "" : "s"} ${unknown.map((id) => `"${String(id).slice(0, 40)}"`).join(", ")}; the ids are listed in CHECK_IDS`,
    );
  }
  const wanted = new Set<string>(ids);
  return ALL_CHECKS.filter((check) => wanted.has(check.id));
}
