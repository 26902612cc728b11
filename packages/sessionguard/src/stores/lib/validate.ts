import type { Clock } from "../../core/clock.js";
import { SessionError } from "../../core/errors.js";
import type { SessionLimit } from "../../core/store.js";

/** Checks a sweep interval option: milliseconds, `0` disables sweeping. */
export function validateSweepInterval(value: unknown, store: string): number {
  // setInterval clamps delays above 2^31-1 ms to 1 ms, which would turn a
  // "very rare" sweep into a busy loop.
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 2_147_483_647) return value;
  throw new SessionError(
    "ERR_CONFIG",
    `${store}: sweepInterval must be a whole number of milliseconds between 0 (no sweeping) and 2147483647`,
  );
}

/** Checks a clock option. */
export function validateClock(value: unknown, store: string): Clock {
  if (typeof value === "function") return value as Clock;
  throw new SessionError("ERR_CONFIG", `${store}: clock must be a function returning milliseconds since the epoch`);
}

/** Checks a per-user limit passed to `create`; a malformed one is a programming error, not a reason to skip it. */
export function validateLimit(limit: SessionLimit): void {
  if (!Number.isInteger(limit.max) || limit.max < 1) {
    throw new SessionError("ERR_CONFIG", "session limit: max must be a positive integer");
  }
  if (limit.policy !== "evict-oldest" && limit.policy !== "reject") {
    throw new SessionError("ERR_CONFIG", 'session limit: policy must be "evict-oldest" or "reject"');
  }
}

/** Checks the version contract of `update`: the caller bumps the version by exactly one. */
export function validateNextVersion(nextVersion: number, expectedVersion: number): void {
  if (nextVersion !== expectedVersion + 1) {
    throw new SessionError("ERR_CONFIG", "store update: record.version must be expectedVersion + 1");
  }
}
