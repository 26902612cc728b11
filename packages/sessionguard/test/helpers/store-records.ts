import { expect } from "vitest";
import { isSessionError, type SessionRecord, type SessionStore } from "../../src/index.js";

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

/**
 * Asserts that every store operation on an unreachable backend fails with
 * `ERR_STORE_UNAVAILABLE`, names the store, keeps the driver error as `cause`
 * and never echoes the session id.
 */
export async function expectEveryOperationUnavailable(store: SessionStore, storeName: string): Promise<void> {
  const id = "secret-session-id-0123456789";
  const operations: Array<() => Promise<unknown>> = [
    () => store.get(id),
    () => store.create(record(id)),
    () => store.create(record(`${id}-2`), { max: 1, policy: "evict-oldest" }),
    () => store.update(record(id, { version: 2 }), 1),
    () => store.delete(id),
    () => store.listByUser("alice"),
    () => store.deleteByUser("alice", id),
    () => (store.sweep === undefined ? Promise.reject(new Error("the store has no sweep")) : store.sweep(T0)),
  ];
  for (const operation of operations) {
    const error = await rejection(operation());
    expect(isSessionError(error, "ERR_STORE_UNAVAILABLE"), String(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^the ${storeName} session store failed: `));
    expect((error as Error).message).not.toContain(id);
    expect((error as Error).cause).toBeInstanceOf(Error);
  }
}
