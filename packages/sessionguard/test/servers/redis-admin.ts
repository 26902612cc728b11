/** Redis helpers for tests: cleanup by prefix (SCAN on every master) and command statistics. */
import type { Cluster, Redis } from "ioredis";

/** Every master of a client (the client itself for a single server). */
export function mastersOf(client: Redis | Cluster): Redis[] {
  return client.isCluster ? (client as Cluster).nodes("master") : [client as Redis];
}

/** Keys under `prefix` on every master, found with SCAN (bounded). */
export async function keysWithPrefix(client: Redis | Cluster, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of mastersOf(client)) {
    let cursor = "0";
    for (let step = 0; step < 100_000; step++) {
      const [next, keys] = await node.scan(cursor, "MATCH", `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`, "COUNT", 1000);
      found.push(...keys);
      if (next === "0") break;
      cursor = next;
    }
  }
  return found;
}

/** Deletes every key under `prefix` (one DEL per key: keys of many slots). */
export async function deletePrefix(client: Redis | Cluster, prefix: string): Promise<void> {
  const keys = await keysWithPrefix(client, prefix);
  await Promise.all(keys.map((key) => client.del(key)));
}

/**
 * Calls per command summed over every master, from `INFO commandstats`,
 * leaving out the commands of the measurement itself.
 */
export async function commandCalls(client: Redis | Cluster): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const node of mastersOf(client)) {
    const info = await node.info("commandstats");
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      const name = match[1] ?? "";
      if (name === "info") continue;
      totals.set(name, (totals.get(name) ?? 0) + Number(match[2]));
    }
  }
  return totals;
}

/** Commands (and counts) run between two {@link commandCalls} snapshots. */
export function callsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, calls] of after) {
    const diff = calls - (before.get(name) ?? 0);
    if (diff > 0) delta[name] = diff;
  }
  return delta;
}
