import type { AuditContext } from "../engine/context.js";
import type { CheckStatus, Confidence, FindingArgs, PlatformFix, Severity } from "../report/model.js";

/** What a check returns; the engine turns it into a result and, when vulnerable, a finding. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One or two plain sentences; becomes the result's `reason` and leads the finding's description. */
  readonly reason: string;
  /**
   * For `vulnerable`: which form of the flaw was observed, a stable kebab-case
   * word such as `kept-at-login`. The finding's `code` is `<id>/<variant>`.
   */
  readonly variant?: string;
  /** For `vulnerable`: the observed values behind the reason (redacted like the rest of the report). */
  readonly args?: FindingArgs;
  /** For `vulnerable`: how sure. Default `firm`. */
  readonly confidence?: Confidence;
  /** Request/response excerpts; the engine redacts tokens and credentials. */
  readonly evidence?: readonly string[];
  /** Commands an engineer can paste, with `<TOKEN>`-style placeholders instead of live secrets. */
  readonly reproduce?: readonly string[];
  /** Overrides the catalogue severity when the observed case is worse or milder. */
  readonly severity?: Severity;
}

/** Details of a vulnerable outcome: the variant is required, so every finding has a stable `code`. */
export type VulnerableDetails = Omit<CheckOutcome, "status" | "reason" | "variant"> & { readonly variant: string };

/**
 * Order in which checks run: later phases may disturb the target. `credentials`
 * (a password change) ends every other session, `noisy` may get the client blocked.
 */
export type CheckPhase = "passive" | "tokens" | "state" | "lifecycle" | "credentials" | "timeouts" | "noisy";

/** Everything the report says about one check id, independent of the target (the seed template's prose). */
export interface CatalogueEntry {
  /** Short finding title, e.g. "Session fixation". */
  readonly title: string;
  /** Default severity (SPEC §2.3 table); a check may override it for a milder or worse case. */
  readonly severity: Severity;
  /** CWE ids, most specific first. */
  readonly cwe: readonly number[];
  /** OWASP ASVS 5.0 requirement numbers (without the `v5.0.0-` prefix). */
  readonly asvs: readonly string[];
  /** "Description of the Vulnerability": what the flaw is and how it shows. */
  readonly description: string;
  /** "Impact": what an attacker gains and what it costs the organisation. */
  readonly impact: string;
  /** "Likelihood": what an attacker needs to exploit this particular flaw. */
  readonly likelihood: string;
  /** "Recommendations for Developers", in prose; the code is in {@link fixes}. */
  readonly recommendation: string;
  /**
   * Configuration or code per platform: `express-session`, `php`, `sessionguard`,
   * sometimes more. `sessionguard` snippets are compiled against the library's
   * types in the test suite, so they must state their imports.
   */
  readonly fixes: readonly PlatformFix[];
  /** CWE pages, OWASP cheat sheets, ASVS chapters, testing guides. */
  readonly references: readonly string[];
  /** What the re-test shows once the flaw is fixed. */
  readonly retest: string;
  /** The consequence in plain words, for the executive summary ("an attacker can …"). */
  readonly headline: string;
  /** The remedy as a short gerund phrase, for the report's closing paragraph ("issuing …"). */
  readonly action: string;
}

/**
 * One check (SPEC §2.3): the single home of its id, phase, catalogue entry and
 * probe. It never prints and never writes files.
 */
export interface Check<Id extends string = string> {
  /** Stable id (SPEC §2.3, CONTRACT). */
  readonly id: Id;
  readonly phase: CheckPhase;
  /** What the report says about this check. */
  readonly catalogue: CatalogueEntry;
  run(context: AuditContext): Promise<CheckOutcome>;
}

/** Declares a check, keeping its id as a literal type so the registry can derive the id union. */
export function defineCheck<const Id extends string>(check: Check<Id>): Check<Id> {
  return check;
}

/** Shorthands for outcomes. */
export const outcome = {
  vulnerable(reason: string, details: VulnerableDetails): CheckOutcome {
    return { status: "vulnerable", reason, ...details };
  },
  passed(reason: string, extra: Omit<CheckOutcome, "status" | "reason"> = {}): CheckOutcome {
    return { status: "passed", reason, ...extra };
  },
  inconclusive(reason: string, extra: Omit<CheckOutcome, "status" | "reason"> = {}): CheckOutcome {
    return { status: "inconclusive", reason, ...extra };
  },
  notApplicable(reason: string): CheckOutcome {
    return { status: "not-applicable", reason };
  },
  skipped(reason: string): CheckOutcome {
    return { status: "skipped", reason };
  },
};
