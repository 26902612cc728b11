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

/** Stable check ids (SPEC §2.3, CONTRACT). */
export const CHECK_IDS = [
  "token-length",
  "token-entropy",
  "token-predictable",
  "token-duplicate",
  "token-bias",
  "token-decodable",
  "state-tampering",
  "state-weak-key",
  "jwt-alg-none",
  "jwt-expiry",
  "cookie-secure",
  "cookie-httponly",
  "cookie-samesite",
  "cookie-scope",
  "cookie-persistent",
  "cookie-prefix",
  "transport-cleartext",
  "transport-hsts",
  "id-in-url",
  "cache-sensitive",
  "fixation",
  "id-adoption",
  "logout-invalidation",
  "credential-change-invalidation",
  "idle-timeout",
  "absolute-timeout",
  "concurrent-sessions",
  "invalid-id-throttling",
] as const;

/** One of {@link CHECK_IDS}. */
export type CheckId = (typeof CHECK_IDS)[number];

/** One result per check per run. */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** Why, in one or two plain sentences. */
  readonly reason: string;
}

/** A concrete fix for one platform. */
export interface PlatformFix {
  /** `express-session`, `php`, `sessionguard`, … */
  readonly platform: string;
  /** A short code or configuration excerpt. */
  readonly code: string;
}

/** A finding: a result with status `vulnerable`, in the structure of the report template (seeds/000). */
export interface Finding {
  readonly id: CheckId;
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
