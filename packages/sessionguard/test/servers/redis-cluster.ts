/**
 * A throwaway Redis Cluster: N masters (and optionally one replica each) as
 * redis-server children on free loopback ports, joined with
 * `redis-cli --cluster create`, stopped by PID.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, run, waitFor } from "./common.js";
import { REDIS_CLI, type RedisServer, startRedis } from "./redis.js";

/** Options of {@link startRedisCluster}. */
export interface StartClusterOptions {
  /** Number of masters (at least 3, as `redis-cli --cluster create` requires). Default 3. */
  readonly masters?: number;
  /** Replicas per master. Default 0. */
  readonly replicas?: number;
}

/** A running cluster and the operations the fault tests need. */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** Seed nodes for `new Cluster(...)`. */
  readonly startupNodes: Array<{ host: string; port: number }>;
  /** `redis-cli -p PORT args…` on one node; returns stdout. */
  cli(port: number, ...args: string[]): string;
  /** Port of the master that serves `slot`. */
  masterOf(slot: number): number;
  /** Hash slot of a key. */
  slotOf(key: string): number;
  /** Moves one slot and its keys to another master (the `redis-cli --cluster reshard` steps for one slot). */
  moveSlot(slot: number, toPort: number): void;
  /** Runs `CLUSTER FAILOVER` on the replica of the master on `masterPort` and waits until it took over. */
  failover(masterPort: number): Promise<number>;
  stop(): Promise<void>;
}

const BUS_OFFSET = 10_000;

/** Starts the nodes, creates the cluster and waits until every node reports `cluster_state:ok`. */
export async function startRedisCluster(options: StartClusterOptions = {}): Promise<RedisCluster> {
  if (REDIS_CLI === null) throw new Error("redis-cli is not installed");
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const dir = mkdtempSync(join(tmpdir(), "sessionguard-cluster-"));
  const nodes: RedisServer[] = [];
  const cli = (port: number, ...args: string[]): string =>
    run(REDIS_CLI as string, ["-h", "127.0.0.1", "-p", String(port), ...args], { timeoutMs: 30_000 }).trim();

  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const port = await freePort([BUS_OFFSET]);
      nodes.push(
        await startRedis({
          port,
          dir,
          args: [
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            `nodes-${port}.conf`,
            "--cluster-port",
            String(port + BUS_OFFSET),
            "--cluster-node-timeout",
            "2000",
            // Sessions on a master whose replica is gone stay served: a test
            // cluster must not refuse reads because one node is down.
            "--cluster-require-full-coverage",
            "no",
          ],
        }),
      );
    }
    const first = nodes[0] as RedisServer;
    run(
      REDIS_CLI,
      [
        "--cluster",
        "create",
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        "--cluster-replicas",
        String(replicas),
        "--cluster-yes",
      ],
      { timeoutMs: 60_000 },
    );
    for (const node of nodes) {
      await waitFor(
        `cluster_state:ok on ${node.port}`,
        () => cli(node.port, "CLUSTER", "INFO").includes("cluster_state:ok"),
        { attempts: 300, intervalMs: 100 },
      );
    }
    if (replicas > 0) {
      await waitFor(
        "replicas in sync",
        () => {
          const lines = cli(first.port, "CLUSTER", "NODES").split("\n");
          const slaves = lines.filter((l) => l.includes("slave"));
          return (
            slaves.length === masters * replicas &&
            slaves.every((l) => l.includes("connected")) &&
            nodes.every((n) => !cli(n.port, "INFO", "replication").includes("master_link_status:down"))
          );
        },
        { attempts: 300, intervalMs: 100 },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const nodeTable = (port: number) =>
    cli(port, "CLUSTER", "NODES")
      .split("\n")
      .map((line) => line.split(" "))
      .map(([id = "", address = "", flags = "", master = "", , , , , ...slots]) => ({
        id,
        port: Number(address.split("@")[0]?.split(":")[1]),
        flags: flags.split(","),
        master,
        slots,
      }));

  const masterOf = (slot: number): number => {
    for (const node of nodeTable(nodes[0]?.port ?? 0)) {
      if (!node.flags.includes("master")) continue;
      for (const range of node.slots) {
        if (range.startsWith("[")) continue;
        const [from, to = from] = range.split("-").map(Number);
        if (from !== undefined && to !== undefined && slot >= from && slot <= to) return node.port;
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  };

  return {
    nodes,
    startupNodes: nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
    cli,
    masterOf,
    slotOf(key) {
      return Number(cli(nodes[0]?.port ?? 0, "CLUSTER", "KEYSLOT", key));
    },
    moveSlot(slot, toPort) {
      const fromPort = masterOf(slot);
      if (fromPort === toPort) return;
      const fromId = cli(fromPort, "CLUSTER", "MYID");
      const toId = cli(toPort, "CLUSTER", "MYID");
      cli(toPort, "CLUSTER", "SETSLOT", String(slot), "IMPORTING", fromId);
      cli(fromPort, "CLUSTER", "SETSLOT", String(slot), "MIGRATING", toId);
      for (let batch = 0; batch < 10_000; batch++) {
        const keys = cli(fromPort, "CLUSTER", "GETKEYSINSLOT", String(slot), "100")
          .split("\n")
          .filter((k) => k !== "");
        if (keys.length === 0) break;
        cli(fromPort, "MIGRATE", "127.0.0.1", String(toPort), "", "0", "5000", "KEYS", ...keys);
      }
      for (const node of nodes) {
        if (
          nodeTable(node.port)
            .find((n) => n.port === node.port)
            ?.flags.includes("master")
        ) {
          cli(node.port, "CLUSTER", "SETSLOT", String(slot), "NODE", toId);
        }
      }
    },
    async failover(masterPort) {
      const masterId = cli(masterPort, "CLUSTER", "MYID");
      const replica = nodeTable(masterPort).find((n) => n.master === masterId && n.flags.includes("slave"));
      if (replica === undefined) throw new Error(`master ${masterPort} has no replica`);
      // Without FORCE the replica first catches up with the master's
      // replication offset, so no acknowledged write is lost.
      cli(replica.port, "CLUSTER", "FAILOVER");
      await waitFor(
        `replica ${replica.port} to become master`,
        () => cli(replica.port, "ROLE").startsWith("master") && cli(masterPort, "ROLE").startsWith("slave"),
        { attempts: 300, intervalMs: 100 },
      );
      return replica.port;
    },
    stop,
  };
}
