import type { AuditContext } from "../engine/context.js";
import type { CheckId, CheckStatus, Confidence, Severity } from "../report/model.js";

/** What a check returns; the engine turns it into a result and, when vulnerable, a finding. */
export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One or two plain sentences; becomes the result's `reason` and leads the finding's description. */
  readonly reason: string;
  /** For `vulnerable`: how sure. Default `firm`. */
  readonly confidence?: Confidence;
  /** Request/response excerpts; the engine redacts tokens and credentials. */
  readonly evidence?: readonly string[];
  /** Commands an engineer can paste, with `<TOKEN>`-style placeholders instead of live secrets. */
  readonly reproduce?: readonly string[];
  /** Overrides the catalogue severity when the observed case is worse or milder. */
  readonly severity?: Severity;
}

/** Order in which checks run: later phases may disturb the target (password change, throttling). */
export type CheckPhase = "passive" | "tokens" | "state" | "lifecycle" | "timeouts" | "noisy";

/** One check (SPEC §2.3): a module that never prints and never writes files. */
export interface Check {
  readonly id: CheckId;
  readonly phase: CheckPhase;
  run(context: AuditContext): Promise<CheckOutcome>;
}

/** Shorthands for outcomes. */
export const outcome = {
  vulnerable(reason: string, extra: Omit<CheckOutcome, "status" | "reason"> = {}): CheckOutcome {
    return { status: "vulnerable", reason, ...extra };
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
