import type { SessionRecord } from "../../src/index.js";

/** A fixed start time for store tests (ms since epoch). */
export const T0 = 1_700_000_000_000;
/** One minute in milliseconds. */
export const MINUTE = 60_000;

/** A plausible record of user alice created at {@link T0}, with overrides. */
export function record(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    userId: "alice",
    createdAt: T0,
    authenticatedAt: T0,
    lastSeenAt: T0,
    idleTimeout: 30 * MINUTE,
    absoluteTimeout: 720 * MINUTE,
    expiresAt: T0 + 30 * MINUTE,
    version: 1,
    data: "",
    meta: {},
    ...overrides,
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
