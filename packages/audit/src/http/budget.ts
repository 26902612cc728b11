import { AuditError } from "../errors.js";

/** The audit's limits (SPEC §2.2 `budget`). */
export interface BudgetLimits {
  /** Maximum HTTP requests for the whole audit. */
  readonly maxRequests: number;
  /** Maximum requests per second. */
  readonly rate: number;
  /** Maximum audit duration in milliseconds. */
  readonly maxDurationMs: number;
}

/**
 * Enforces the request cap, the rate and the duration for every request the
 * audit sends; a hostile or slow target can make checks inconclusive but
 * never make the audit run unbounded.
 */
export class Budget {
  readonly limits: BudgetLimits;
  readonly startedAt: number;
  #sent = 0;
  #nextSlot = 0;

  readonly #sleep: (ms: number) => Promise<void>;

  /** @param sleep - how rate waits are spent; injectable so tests need not measure time */
  constructor(
    limits: BudgetLimits,
    sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.limits = limits;
    this.startedAt = Date.now();
    this.#sleep = sleep;
  }

  /** Requests sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Milliseconds left before `maxDuration`. */
  remainingMs(now: number = Date.now()): number {
    return Math.max(0, this.startedAt + this.limits.maxDurationMs - now);
  }

  /** Requests left before `maxRequests`. */
  get remainingRequests(): number {
    return Math.max(0, this.limits.maxRequests - this.#sent);
  }

  /**
   * Waits for a rate slot and counts one request.
   * @throws AuditError `ERR_BUDGET` when the request cap or the duration is used up
   */
  async take(): Promise<void> {
    if (this.#sent >= this.limits.maxRequests) {
      throw new AuditError("ERR_BUDGET", `the request budget (${this.limits.maxRequests} requests) is used up`);
    }
    const now = Date.now();
    if (this.remainingMs(now) <= 0) {
      throw new AuditError("ERR_BUDGET", "the time budget (budget.maxDuration) is used up");
    }
    const interval = 1000 / this.limits.rate;
    const slot = Math.max(now, this.#nextSlot);
    // Requests queued behind the rate limit must not start after the deadline either.
    if (slot - now >= this.remainingMs(now)) {
      throw new AuditError("ERR_BUDGET", "the time budget (budget.maxDuration) is used up");
    }
    this.#sent++;
    this.#nextSlot = slot + interval;
    if (slot > now) await this.#sleep(slot - now);
  }

  /**
   * Sleeps in real time if the duration budget allows it.
   * @throws AuditError `ERR_BUDGET` when the wait would outlast `maxDuration`
   */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms > this.remainingMs()) {
      throw new AuditError("ERR_BUDGET", "waiting that long would exceed the time budget (budget.maxDuration)");
    }
    // setTimeout fires after 1 ms for any delay above 2^31−1 ms (about 24.8 days): wait in pieces.
    for (let left = ms; left > 0; left -= MAX_TIMER_MS) {
      const piece = Math.min(left, MAX_TIMER_MS);
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted === true) {
          reject(new AuditError("ERR_BUDGET", "the audit was interrupted"));
          return;
        }
        const timer = setTimeout(resolve, piece);
        signal?.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(new AuditError("ERR_BUDGET", "the audit was interrupted"));
          },
          { once: true },
        );
      });
    }
  }
}

/** The longest delay Node's `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;
