/**
 * Test helpers for people who write a session store: the conformance suite
 * every sessionguard store passes. Needs vitest as a dev dependency.
 *
 * @packageDocumentation
 */

/**
 * Builds a fresh store for one conformance test from the suite's fake clock
 * (ms since the epoch); may return a `cleanup` the suite awaits after
 * `store.close()`.
 */
export type { StoreFactory } from "./testing/store-conformance.js";
/**
 * Registers the vitest suite that every `SessionStore` must pass: field
 * round trips, versioned updates, expiry on a fake clock (with expired
 * records readable by `get` for `EXPIRED_RETENTION`), the per-user
 * index, the per-user limit under parallel calls, and opaque data.
 *
 * @example
 * ```ts
 * import { describeStoreConformance } from "sessionguard/testing";
 * describeStoreConformance("my store", async (clock) => ({ store: myStore({ clock }) }));
 * ```
 */
export { describeStoreConformance } from "./testing/store-conformance.js";
