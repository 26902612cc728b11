import { formatDuration } from "../../config/duration.js";
import type { Budget } from "../../http/budget.js";

/** Time kept for the requests that follow a wait (the probe, a retry, a slow answer). */
export const PROBE_RESERVE_MS = 10_000;

/**
 * How early a timer may fire against the monotonic clock (Node rounds
 * delays to whole milliseconds); a wait that ends earlier than this did not
 * happen as asked.
 */
export const TIMER_SLACK_MS = 5;

/**
 * Why a real-time wait of `waitMs` cannot run in the `remainingMs` left of
 * `budget.maxDuration` (keeping {@link PROBE_RESERVE_MS} for the probes), or
 * `null` when it fits. `what` names the policy window for the message.
 */
export function waitMisfit(waitMs: number, remainingMs: number, what: string): string | null {
  if (waitMs + PROBE_RESERVE_MS <= remainingMs) return null;
  return `${what} needs a wait of ${formatDuration(waitMs)} (plus ${formatDuration(PROBE_RESERVE_MS)} for the probes), which does not fit in the ${formatDuration(remainingMs)} left of budget.maxDuration; raise budget.maxDuration to run this check`;
}

/** Why a wait that ended after `waitedMs` instead of `askedMs` proves nothing, or `null` when it lasted. */
export function shortWait(askedMs: number, waitedMs: number): string | null {
  if (waitedMs >= askedMs - TIMER_SLACK_MS) return null;
  return `a wait of ${formatDuration(askedMs)} ended after ${formatDuration(waitedMs)}: the session was not left alone long enough to judge, so there is no verdict`;
}

/**
 * Waits `ms` through the budget and returns how long really passed, on the
 * monotonic clock (a wall-clock jump or a timer that fires early — as
 * `setTimeout` does beyond 2^31−1 ms — must not pass for elapsed time).
 * @throws AuditError `ERR_BUDGET` when the wait would outlast `budget.maxDuration`
 */
export async function timedWait(budget: Budget, ms: number): Promise<number> {
  const started = performance.now();
  await budget.wait(ms);
  return performance.now() - started;
}
