import { isTokenCheck } from "../checks/lib/token-check.js";
import { analyzeTokens } from "../checks/token-analysis.js";
import type { Check, CheckOutcome, CheckPhase } from "../checks/types.js";
import type { AuditConfig } from "../config/load.js";
import { AuditError } from "../errors.js";
import { Budget } from "../http/budget.js";
import { HttpClient } from "../http/client.js";
import { countBySeverity, type Report, riskOf, type TokenSummary } from "../report/model.js";
import { Redactor, redactReport } from "../report/redact.js";
import { type SamplingResult, sampleTokens } from "../tokens/sampler.js";
import { VERSION } from "../version.js";
import { Authenticator, type LoginResult } from "./auth.js";
import type { AuditContext, TokenStudy } from "./context.js";
import { discover } from "./discovery.js";
import { collect } from "./findings.js";
import type { Progress } from "./progress.js";

/** Options of {@link runAudit}. */
export interface AuditOptions {
  readonly config: AuditConfig;
  /** Tokens to sample for the `token-*` checks. */
  readonly samples: number;
  /** The checks to run, usually the registry (`ALL_CHECKS`); results, findings and rules follow their order. */
  readonly checks: readonly Check[];
  /** Builds the progress sink once the audit's budget exists (it reports requests sent and time left). */
  readonly progress: (budget: Budget) => Progress;
  /** The command that re-runs this audit, for the report's verification section. */
  readonly verification: string;
  /** Per-request timeout in milliseconds (default 15 s). */
  readonly requestTimeoutMs?: number;
}

const EMPTY_TOKENS: TokenSummary = { samples: 0, bitsPerToken: 0, effectiveEntropyBits: 0, generator: null };

/**
 * Audits one target (SPEC §2): discovery, a verified baseline login, then the
 * checks in an order that keeps them from disturbing each other — token
 * sampling runs beside the timeout probes (neither logs in), the password
 * change and the noisy throttling probe come last.
 * @throws AuditError `ERR_TARGET_UNREACHABLE` / `ERR_LOGIN_FAILED` when the target cannot be audited
 */
export async function runAudit(options: AuditOptions): Promise<Report> {
  const { config } = options;
  const startedAt = new Date();
  const budget = new Budget(config.budget);
  const progress = options.progress(budget);
  const http = new HttpClient(config.target, budget, options.requestTimeoutMs);
  const redactor = new Redactor();
  for (const value of credentialValues(config)) redactor.add(value);
  let sessionCookie: string | null = null;
  const auth = new Authenticator(
    config,
    http,
    () => sessionCookie,
    (s) => redactor.add(s),
  );
  try {
    progress.phase(`discovery of ${config.target.origin}`);
    const discovery = await discover(config, http, async () =>
      auth.configured ? (await auth.login()).response.allSetCookies : [],
    );
    sessionCookie = discovery.sessionCookie;
    progress.note(
      sessionCookie === null
        ? "no session cookie found"
        : `session cookie: ${sessionCookie} (${discovery.cookieSource === "config" ? "from the config" : "detected"})`,
    );
    let baseline: LoginResult | null = null;
    if (auth.configured) {
      progress.phase("login");
      baseline = await auth.loginVerified();
      progress.note(`logged in at ${config.login?.url}; ${config.authCheck?.url} confirms the session`);
    }
    let sampling: Promise<SamplingResult | null> | undefined;
    const sample = (): Promise<SamplingResult | null> => {
      sampling ??= (async () => {
        if (sessionCookie === null) return null;
        progress.phase(`sampling ${options.samples} tokens from ${config.tokenSource.url}`);
        const result = await sampleTokens(config, http, sessionCookie, options.samples, progress);
        return result.samples.length === 0 ? null : result;
      })();
      return sampling;
    };
    let study: Promise<TokenStudy | null> | undefined;
    const context: AuditContext = {
      config,
      http,
      progress,
      discovery,
      auth,
      baseline,
      samples: options.samples,
      secret: (value) => redactor.add(value),
      tokens() {
        study ??= (async () => {
          const result = await sample();
          if (result === null) return null;
          const analysis = analyzeTokens(
            result.samples,
            { minEntropyBits: config.policy.minEntropyBits },
            options.checks.filter(isTokenCheck),
          );
          return { sampling: result, analysis };
        })();
        return study;
      },
    };

    const outcomes = new Map<string, CheckOutcome>();
    const run = async (check: Check): Promise<void> => {
      outcomes.set(check.id, await runCheck(check, context));
      const o = outcomes.get(check.id);
      progress.note(`${check.id}: ${o?.status}${o?.status === "vulnerable" ? " ⚠" : ""}`);
    };
    const phase = (name: CheckPhase): Check[] => options.checks.filter((c) => c.phase === name);
    const sequential = async (checks: readonly Check[]): Promise<void> => {
      for (const check of checks) await run(check);
    };

    progress.phase("passive checks");
    await sequential(phase("passive"));
    // Sampling (network) overlaps the timeout probes; the analysis (CPU) waits until they are
    // done, so it cannot delay their keep-alive timers.
    progress.phase("token sampling and timeout probes");
    const tokenChecks = phase("tokens");
    await Promise.all([tokenChecks.length > 0 ? sample() : null, Promise.all(phase("timeouts").map(run))]);
    progress.phase("token analysis");
    await sequential(tokenChecks);
    progress.phase("client-side state and lifecycle checks");
    await sequential(phase("state"));
    await sequential(phase("lifecycle"));
    // A password change ends every other session: after every check that needs one.
    await sequential(phase("credentials"));
    progress.phase("throttling probe");
    await sequential(phase("noisy"));

    const tokenStudy = study === undefined ? null : await study.catch(() => null);
    const { results, findings, rules } = collect(options.checks, outcomes, options.verification);
    const report: Report = {
      tool: "sessionguard",
      version: VERSION,
      target: config.target.href,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      summary: { risk: riskOf(findings), counts: countBySeverity(findings) },
      results,
      findings,
      tokens: tokenStudy === null ? EMPTY_TOKENS : summaryWithWarnings(tokenStudy, config.policy.minEntropyBits),
      rules,
      verification: options.verification,
      scan: {
        requests: budget.sent,
        durationMs: Date.now() - startedAt.getTime(),
        sessionCookie,
        budget: config.budget,
      },
    };
    return redactReport(report, redactor);
  } finally {
    progress.done();
    await http.close();
  }
}

async function runCheck(check: Check, context: AuditContext): Promise<CheckOutcome> {
  // Every phase honours the deadline: once budget.maxDuration is spent, no check starts.
  if (context.http.budget.remainingMs() === 0) {
    return {
      status: "inconclusive",
      reason: "the time budget (budget.maxDuration) was used up before this check could run",
    };
  }
  try {
    return await check.run(context);
  } catch (error) {
    if (error instanceof AuditError) {
      const why =
        error.code === "ERR_BUDGET"
          ? error.message
          : error.code === "ERR_TARGET_UNREACHABLE"
            ? `the target stopped answering: ${error.message}`
            : error.message;
      return { status: "inconclusive", reason: why };
    }
    return { status: "inconclusive", reason: `the check failed unexpectedly (${(error as Error).message ?? "error"})` };
  }
}

function summaryWithWarnings(study: TokenStudy, minEntropyBits: number): TokenSummary {
  const summary = { ...study.analysis.summary, minEntropyBits };
  const warnings = [...(summary.warnings ?? [])];
  if (study.sampling.stoppedEarly !== null) warnings.push(`sampling stopped early: ${study.sampling.stoppedEarly}`);
  return warnings.length === 0 ? summary : { ...summary, warnings };
}

/** Field names whose values are secrets (usernames stay readable in the evidence). */
const SECRET_FIELD = /pass|pw|pwd|secret|token|key|pin|otp|code|current|next|new/i;

/** Every credential in the config, so every output redacts it: login secrets and all password-change values. */
function credentialValues(config: AuditConfig): string[] {
  const values: string[] = [];
  const walk = (value: unknown, key: string, all: boolean): void => {
    if (typeof value === "string" || typeof value === "number") {
      if (all || SECRET_FIELD.test(key)) values.push(String(value));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, k, all);
    }
  };
  walk(config.login?.form, "", false);
  walk(config.login?.json, "", false);
  walk(config.passwordChange?.form, "", true);
  walk(config.passwordChange?.json, "", true);
  walk(config.passwordChange?.revert, "", true);
  return values;
}
