/** Counting wrappers: how many store calls (and database queries) a request costs. */
import type { Cluster, Redis } from "ioredis";
import type { Pool } from "pg";
import type { SessionStore } from "../../src/core/store.js";

/** A store that counts calls per method, delegating everything. */
export function countingStore<S extends SessionStore>(
  store: S,
): { store: S; calls: Map<string, number>; total(): number } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}

/**
 * A pg pool that counts the statements sent to the server: `pool.query`
 * calls and `query` calls on checked-out clients (transactions).
 */
export function countingPool(pool: Pool): { pool: Pool; queries(): number; reset(): void } {
  let count = 0;
  const wrapClient = <C extends object>(client: C): C =>
    new Proxy(client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === "query" && typeof value === "function") {
          return (...args: unknown[]) => {
            count++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const proxy = new Proxy(pool, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "query" && typeof value === "function") {
        return (...args: unknown[]) => {
          count++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (property === "connect" && typeof value === "function") {
        return async () => wrapClient(await (value as () => Promise<object>).apply(target));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    pool: proxy,
    queries: () => count,
    reset: () => {
      count = 0;
    },
  };
}

/**
 * Counts the commands an ioredis client sends, by name: one per network
 * round trip (a Lua script is one EVALSHA however many commands it runs,
 * which `INFO commandstats` would count one by one). Count on a connected
 * client: a command queued while connecting passes `sendCommand` twice.
 */
export function countingRedis(client: Redis | Cluster): { calls: Map<string, number>; total(): number } {
  const calls = new Map<string, number>();
  const original = client.sendCommand.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { sendCommand: (...args: unknown[]) => unknown }).sendCommand = (...args: unknown[]) => {
    const name = (args[0] as { name?: string } | undefined)?.name ?? "?";
    calls.set(name, (calls.get(name) ?? 0) + 1);
    return original(...args);
  };
  return { calls, total: () => [...calls.values()].reduce((a, b) => a + b, 0) };
}
