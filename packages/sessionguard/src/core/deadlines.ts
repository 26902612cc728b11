/**
 * Deadline arithmetic of a session (SPEC L6, L7), as pure functions of
 * times in milliseconds since the epoch and durations in milliseconds. Every
 * place that computes an expiry, a cookie lifetime or a grace window uses
 * these, so the rules live in one file with their own tests.
 */

/** The timing fields of a session that its deadlines depend on. */
export interface SessionTiming {
  /** When the session (or its login) began. */
  readonly createdAt: number;
  /** Last recorded activity. */
  readonly lastSeenAt: number;
  /** Idle timeout in milliseconds. */
  readonly idleTimeout: number;
  /** Absolute timeout in milliseconds, counted from `createdAt`. */
  readonly absoluteTimeout: number;
}

/** Why a session is no longer valid. */
export type ExpiryReason = "idle" | "absolute";

/** The moment the session ends: the earlier of its idle and absolute deadlines. */
export function sessionDeadline(timing: SessionTiming): number {
  return Math.min(timing.lastSeenAt + timing.idleTimeout, timing.createdAt + timing.absoluteTimeout);
}

/**
 * Why the session is over at `now`, or `null` while it is valid. `expiresAt`
 * (the stored deadline) counts too: a record whose stored deadline passed is
 * over even if its timeouts say otherwise.
 */
export function expiryReason(
  timing: SessionTiming & { readonly expiresAt?: number },
  now: number,
): ExpiryReason | null {
  if (now >= timing.createdAt + timing.absoluteTimeout) return "absolute";
  if (now >= timing.lastSeenAt + timing.idleTimeout) return "idle";
  if (timing.expiresAt !== undefined && now >= timing.expiresAt) return "idle";
  return null;
}

/**
 * `Max-Age` of the cookie in milliseconds when the session is active at
 * `now`: the cookie never outlives the absolute deadline (SPEC L7).
 */
export function cookieLifetime(timing: SessionTiming, now: number): number {
  return sessionDeadline({ ...timing, lastSeenAt: Math.max(now, timing.lastSeenAt) }) - now;
}

/** The end of a rotated-out token's grace period: never later than the session's own end. */
export function graceDeadline(now: number, grace: number, expiresAt: number): number {
  return Math.min(now + grace, expiresAt);
}

/** True when `interval` ms have passed since `since`: rotation, activity writes and cookie refreshes. */
export function isDue(since: number, interval: number, now: number): boolean {
  return now - since >= interval;
}

/** Whether a store still answers for a record `retention` ms after its deadline (see `EXPIRED_RETENTION`). */
export function isRetained(expiresAt: number, retention: number, now: number): boolean {
  return expiresAt + retention > now;
}
