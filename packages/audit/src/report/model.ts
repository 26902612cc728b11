/**
 * The report model (SPEC §2.4, CONTRACT): checks produce results and
 * findings as data; renderers are pure functions of this model.
 */

/** Severity of a finding, highest first. */
export type Severity = "critical" | "high" | "medium" | "low" | "info";

/** All severities, highest first. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Overall risk: the highest severity found, or `none`. */
export type Risk = Exclude<Severity, "info"> | "none";

/** Outcome of one check (SPEC §2.3). Only `vulnerable` makes a finding. */
export type CheckStatus = "vulnerable" | "passed" | "inconclusive" | "not-applicable" | "skipped";

/** How sure a finding is: `confirmed` (exploited against the target), `firm` (observed), `tentative` (inferred). */
export type Confidence = "confirmed" | "firm" | "tentative";

/**
 * One result per check per run. `id` is a rule id of whichever producer made
 * the report: an audit check (SPEC §2.3, see `CheckId`), a log detection
 * (`log-*`) or a static rule (`code-*`).
 */
export interface CheckResult {
  readonly id: string;
  readonly status: CheckStatus;
  /** Why, in one or two plain sentences. */
  readonly reason: string;
}

/** An observed value behind a finding: plain JSON scalars, so findings compare across runs. */
export type FindingArg = string | number | boolean | null;

/** The observed values of a finding, by name. */
export type FindingArgs = Readonly<Record<string, FindingArg>>;

/** A concrete fix for one platform. */
export interface PlatformFix {
  /** `express-session`, `php`, `sessionguard`, … */
  readonly platform: string;
  /** A short code or configuration excerpt. */
  readonly code: string;
}

/**
 * A finding: a result with status `vulnerable`, in the structure of the report
 * template (seeds/000). Self-contained: renderers need nothing but the finding
 * (and the report it is in) to show it. Besides the prose, a finding carries
 * data — a stable {@link Finding.code} and its {@link Finding.args} — so CI
 * and `--baseline` can compare findings across runs.
 */
export interface Finding {
  /** Rule id (SPEC §2.3 check id, `log-*` detection, `code-*` static rule). */
  readonly id: string;
  /** Extension: the rule id plus the form of the flaw observed, e.g. `fixation/kept-at-login`. Stable across versions. */
  readonly code: string;
  /** Extension: the observed values behind {@link Finding.code}, e.g. `{ "cookie": "sid" }` (redacted like the prose). */
  readonly args: FindingArgs;
  readonly title: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  readonly cwe: readonly number[];
  readonly asvs: readonly string[];
  readonly description: string;
  readonly impact: string;
  readonly likelihood: string;
  /** Request/response excerpts; tokens and credentials redacted. */
  readonly evidence: readonly string[];
  /** Steps an engineer can paste (curl). */
  readonly reproduce: readonly string[];
  readonly recommendation: string;
  /** Extension: the fix per platform (Express/express-session, PHP, sessionguard). */
  readonly fixes: readonly PlatformFix[];
  /** How to confirm the fix: the exact re-test command. */
  readonly verification: string;
  readonly references: readonly string[];
  /** Extension: what the re-test shows once the flaw is fixed (renderers fall back to the verification command). */
  readonly retest?: string;
  /** Extension: the consequence in plain words, for the executive summary ("an attacker can …"); default: the title. */
  readonly headline?: string;
  /** Extension: the remedy as a short gerund phrase, for the closing paragraph ("issuing …"). */
  readonly action?: string;
  /** Extension: names of the CWE entries in {@link Finding.cwe}, keyed by the number as a string (labels of the references). */
  readonly cweNames?: Readonly<Record<string, string>>;
  /** Extension: the incident over time (log findings), drawn as a timeline in the HTML report. */
  readonly timeline?: Timeline;
}

/** One row of a {@link Timeline}: a client that took part, labelled by address and browser family. */
export interface TimelineLane {
  readonly label: string;
  /** `owner`: the session's first client; `other`: any other client. */
  readonly role: "owner" | "other";
}

/** One event of a {@link Timeline}: a cited log line at its log time. */
export interface TimelinePoint {
  /** Index into {@link Timeline.lanes}; -1 when the line names no client. */
  readonly lane: number;
  /** ISO-8601 time of the line. */
  readonly at: string;
  /** What the point stands for, e.g. `access.log:120`. */
  readonly label: string;
}

/** An incident's clients and cited lines in time order, for a picture of who used the session when. */
export interface Timeline {
  /** ISO-8601 start and end of the incident's window. */
  readonly start: string;
  readonly end: string;
  readonly lanes: readonly TimelineLane[];
  readonly points: readonly TimelinePoint[];
}

/**
 * What a report says about one rule independent of the target: the SARIF
 * rule and the title of its results. Every producer (audit, `tokens`, logs,
 * static checks) lists the rules it ran, so renderers need no catalogue.
 */
export interface Rule {
  readonly id: string;
  readonly title: string;
  /** Default severity of the rule's findings. */
  readonly severity: Severity;
  readonly cwe: readonly number[];
  readonly asvs: readonly string[];
  readonly description: string;
  readonly recommendation: string;
  readonly fixes: readonly PlatformFix[];
  readonly references: readonly string[];
  /** What the re-test shows once the flaw is fixed. */
  readonly retest: string;
}

/** Per-position statistics for the HTML charts (extension of `tokens`). */
export interface TokenCharts {
  /** Bias of each analysed bit position: |P(1) − 0.5|, 0..0.5. */
  readonly bitBias: readonly number[];
  /** Characters seen per analysed character position: counts by character. */
  readonly charDistribution: ReadonlyArray<Readonly<Record<string, number>>>;
  /** Entropy estimates in bits per token by estimator (e.g. `mcv`, `collision`, `markov`). */
  readonly estimates: Readonly<Record<string, number>>;
  /** Effective entropy at significance levels, e.g. `{ "1%": 128, "0.1%": 130 }`. */
  readonly effectiveEntropyAt?: Readonly<Record<string, number>>;
}

/** Token analysis summary (SPEC §2.4 `tokens`, CONTRACT keys plus extensions). */
export interface TokenSummary {
  readonly samples: number;
  readonly bitsPerToken: number;
  readonly effectiveEntropyBits: number;
  /** The identified generator in plain words, or `null`. */
  readonly generator: string | null;
  /** Extension: the policy floor (`policy.minEntropyBits`) the entropy was judged against. */
  readonly minEntropyBits?: number;
  /** Extension: plain-words verdict with the figures behind it. */
  readonly verdict?: string;
  /** Extension: predicted next tokens (always redacted in outputs: they would be live credentials). */
  readonly predicted?: readonly string[];
  readonly warnings?: readonly string[];
  readonly charts?: TokenCharts;
}

/** The whole report (SPEC §2.4, CONTRACT). */
export interface Report {
  readonly tool: "sessionguard";
  readonly version: string;
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: {
    readonly risk: Risk;
    readonly counts: Readonly<Record<Severity, number>>;
  };
  readonly results: readonly CheckResult[];
  readonly findings: readonly Finding[];
  readonly tokens: TokenSummary;
  /** Extension: every rule of {@link Report.results}, in the same order (SARIF rules, result titles). */
  readonly rules: readonly Rule[];
  /** Extension: the command that re-runs this audit (verification section). */
  readonly verification?: string;
  /** Extension: HTTP requests sent and the session cookie examined. */
  readonly scan?: {
    readonly requests: number;
    readonly durationMs: number;
    readonly sessionCookie: string | null;
    readonly budget: { readonly maxRequests: number; readonly rate: number; readonly maxDurationMs: number };
  };
}

/** Risk of a set of findings: the highest severity, `info` counts as none. */
export function riskOf(findings: readonly Pick<Finding, "severity">[]): Risk {
  for (const severity of SEVERITIES) {
    if (severity !== "info" && findings.some((f) => f.severity === severity)) return severity;
  }
  return "none";
}

/** Finding counts per severity. */
export function countBySeverity(findings: readonly Pick<Finding, "severity">[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
