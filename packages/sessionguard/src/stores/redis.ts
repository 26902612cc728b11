import { type Cluster, Redis, type RedisOptions } from "ioredis";
import { type Clock, systemClock } from "../core/clock.js";
import { isRetained } from "../core/deadlines.js";
import { SessionError } from "../core/errors.js";
import {
  type CreateResult,
  EXPIRED_RETENTION,
  type SessionLimit,
  type SessionRecord,
  type SessionStore,
} from "../core/store.js";
import { decodeRecord, encodeRecord } from "./lib/record-json.js";
import {
  CREATE_RECORD,
  DELETE_IF_OWNED,
  DELETE_RECORD,
  INDEX_MEMBERS,
  INDEX_REMOVE,
  INDEX_UPSERT,
  PRUNE_INDEX,
  RESERVE,
  type RedisScript,
  SWEEP_RECORD,
  UPDATE_RECORD,
} from "./lib/redis-scripts.js";
import { startSweepTimer } from "./lib/sweep-timer.js";
import { corruptRecord, storeUnavailable } from "./lib/unavailable.js";
import { validateClock, validateLimit, validateNextVersion, validateSweepInterval } from "./lib/validate.js";

/**
 * Options of {@link redisStore}. Pass exactly one of `client` (any ioredis
 * `Redis` or `Cluster`, including a Sentinel-configured `Redis`) or `url`.
 */
export interface RedisStoreOptions {
  /**
   * An ioredis client the application owns: `new Redis(...)` for a single
   * server or Sentinel (`{ sentinels, name }`), `new Cluster(...)` for
   * Redis Cluster. {@link RedisStore.close} leaves it open. Give it
   * {@link redisClientOptions} (or `redisOptions` for a Cluster) so a store
   * outage fails requests within the timeout instead of queueing them.
   */
  readonly client?: Redis | Cluster;
  /**
   * `redis://[USER:PASSWORD@]HOST:PORT[/DB]` or `rediss://…` (TLS). The store
   * creates the client with {@link redisClientOptions} and closes it in
   * {@link RedisStore.close}.
   */
  readonly url?: string;
  /**
   * Prepended to every key, so several apps can share one Redis. No `{` or
   * `}` (they would break the hash tags), at most 64 characters. Default `"sg:"`.
   */
  readonly prefix?: string;
  /** Time source for expiry decisions. Default {@link systemClock}. */
  readonly clock?: Clock;
  /**
   * Milliseconds Redis keeps a key past its `expiresAt` plus
   * `EXPIRED_RETENTION`, as measured on the writing server's clock: app
   * servers whose clocks disagree by less than this never see a session
   * vanish before its deadline. Reads filter on `expiresAt` (and the manager
   * re-checks it), so this never lengthens a session. Default `5000`.
   */
  readonly clockTolerance?: number;
  /**
   * Command and connect timeout in milliseconds of the client the store
   * creates from `url` (ignored with `client`). Default `2000`.
   */
  readonly timeout?: number;
  /**
   * Milliseconds between background {@link RedisStore.sweep} runs; `0`
   * (the default) disables them: key TTLs remove expired sessions.
   */
  readonly sweepInterval?: number;
}

/** A {@link SessionStore} on Redis or Valkey (ioredis): single server, Sentinel or Cluster. */
export interface RedisStore extends SessionStore {
  /**
   * Deletes sessions whose `expiresAt` is at or before `now - EXPIRED_RETENTION` (ms since the
   * epoch) and index entries that expired, walking the keyspace of every
   * master with `SCAN`; returns how many sessions it deleted. Key TTLs do
   * this on their own; call it after moving clocks or to tidy indexes.
   */
  sweep(now: number): Promise<number>;
  /** Stops the sweep timer and closes the client if the store created it. Idempotent. */
  close(): Promise<void>;
}

const STORE = "redisStore";
const DEFAULT_PREFIX = "sg:";
const SCAN_COUNT = 500;
// SCAN always terminates (cursor 0), but a keyspace changing under a
// pathological client must not keep one sweep alive forever.
const MAX_SCAN_STEPS = 1_000_000;
const DUPLICATE_ID = "the Redis session store already holds a session with this id";

/**
 * ioredis options that make a session store fail fast and recover by
 * itself: commands wait at most `timeout` ms (then the request gets a 503),
 * a command cut off by a lost connection is failed rather than re-sent after
 * the reconnect (a re-sent script could apply twice), the client keeps
 * reconnecting every second at most, so the app recovers without a restart,
 * and a `READONLY` reply (a master demoted by a Sentinel failover) makes it
 * reconnect to the new master and retry: a replica applied nothing.
 *
 * Spread them into your own client: `new Redis({ ...redisClientOptions(), sentinels, name,
 * failoverDetector: true })` for Sentinel, `new Cluster(nodes, { redisOptions: redisClientOptions() })`
 * for Cluster.
 *
 * @param timeout - command and connect timeout in milliseconds (default 2000)
 */
export function redisClientOptions(timeout = 2000): RedisOptions {
  return {
    commandTimeout: timeout,
    connectTimeout: timeout,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 1000),
    reconnectOnError: (error: Error) => (error.message.startsWith("READONLY") ? 2 : false),
  };
}

/**
 * Creates a session store on Redis or Valkey through ioredis.
 *
 * Layout: each session is a hash `<prefix>s:<id>` found by id alone
 * (the request hot path is one `HGET`), expiring by TTL at its `expiresAt`
 * plus `EXPIRED_RETENTION` and `clockTolerance`. Each user's index is a group of sorted sets under
 * one hash tag, `<prefix>{u:<userId>}:…`, so the per-user limit (count,
 * evict or reject, insert) is one atomic Lua script even on Redis Cluster.
 * A record is written before it is indexed, and removed from the index
 * only after it is deleted, so "revoke all sessions of a user" never misses
 * a session that a client could use. See `docs/scaling.md`.
 *
 * Driver failures reject with `SessionError` `ERR_STORE_UNAVAILABLE` (the
 * driver error is the `cause`); a duplicate id in `create` rejects with
 * `ERR_STORE_CONFLICT`.
 *
 * @throws SessionError `ERR_CONFIG` when an option is invalid
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (options === null || typeof options !== "object") {
    throw new SessionError("ERR_CONFIG", `${STORE}: options are required: { client } or { url }`);
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== "string" || prefix.length > 64 || /[{}\s]/.test(prefix)) {
    throw new SessionError(
      "ERR_CONFIG",
      `${STORE}: prefix must be at most 64 characters without braces or spaces (default "${DEFAULT_PREFIX}")`,
    );
  }
  const clock = validateClock(options.clock ?? systemClock, STORE);
  const tolerance = wholeMs(options.clockTolerance ?? 5000, 0, 3_600_000, "clockTolerance");
  const timeout = wholeMs(options.timeout ?? 2000, 1, 600_000, "timeout");
  const sweepInterval = validateSweepInterval(options.sweepInterval ?? 0, STORE);
  if ((options.client === undefined) === (options.url === undefined)) {
    throw new SessionError("ERR_CONFIG", `${STORE}: pass exactly one of client (an ioredis client) or url`);
  }
  const ownsClient = options.client === undefined;
  const client: Redis | Cluster = options.client ?? connect(options.url, timeout);

  const recordKey = (id: string): string => `${prefix}s:${id}`;
  const indexKeys = (userId: string): { e: string; c: string; x: string } => {
    // The tag is never empty ("u:" + userId): Redis hashes a key with an
    // empty tag "{}" as a whole, which would split an empty user id's keys.
    const base = `${prefix}{u:${userId}}`;
    return { e: `${base}:e`, c: `${base}:c`, x: `${base}:x` };
  };
  // Relative TTLs: immune to skew between the app's and Redis's clocks, and
  // equal to PEXPIREAT(expiresAt + retention + tolerance) when they agree.
  const ttlFor = (expiresAt: number, now: number): number =>
    Math.max(expiresAt - now, 0) + EXPIRED_RETENTION + tolerance + 1;

  const run = (script: RedisScript, keys: readonly string[], args: readonly (string | number)[]) =>
    evalScript(client, script, keys, args);

  const writeArgs = (record: SessionRecord): [string, string, string, string, string] => [
    encodeRecord(record),
    String(record.version),
    String(record.expiresAt),
    record.userId === null ? "0" : "1",
    record.userId ?? "",
  ];

  /** Index ids whose record no longer exists. Ids are never reused, so such an entry can never become live again. */
  const dropMissing = async (userId: string, ids: readonly string[]): Promise<number> => {
    const owners = await Promise.all(ids.map((id) => client.hexists(recordKey(id), "r")));
    const missing = ids.filter((_, i) => owners[i] === 0);
    if (missing.length > 0) {
      const k = indexKeys(userId);
      await run(INDEX_REMOVE, [k.e, k.c, k.x], missing);
    }
    return missing.length;
  };

  const reserve = async (
    record: SessionRecord & { userId: string },
    limit: SessionLimit | undefined,
    now: number,
  ): Promise<{ evicted: string[]; pending: string[] } | null> => {
    const k = indexKeys(record.userId);
    const args = [
      now,
      now - tolerance,
      record.id,
      record.createdAt,
      record.expiresAt,
      ttlFor(record.expiresAt, now),
      limit?.max ?? 0,
      limit?.policy ?? "",
    ];
    for (let attempt = 0; attempt < 2; attempt++) {
      const reply = (await run(RESERVE, [k.e, k.c, k.x], args)) as Array<number | string>;
      if (reply[0] === 1) {
        const count = Number(reply[1]);
        return {
          evicted: reply.slice(2, 2 + count).map(String),
          pending: reply.slice(2).map(String),
        };
      }
      // A writer that died between its steps can leave an id in the index
      // without a record; it must not keep a user from signing in.
      if (attempt > 0) break;
      const members = (await run(INDEX_MEMBERS, [k.e, k.x], [now])) as string[];
      if ((await dropMissing(record.userId, members)) === 0) break;
    }
    return null;
  };

  const finishEvictions = async (userId: string, evicted: readonly string[], pending: readonly string[]) => {
    const ids = [...new Set(pending)];
    if (ids.length === 0) return [];
    const deleted = await Promise.all(ids.map((id) => run(DELETE_IF_OWNED, [recordKey(id)], [userId])));
    const k = indexKeys(userId);
    await run(INDEX_REMOVE, [k.e, k.c, k.x], ids);
    const gone = new Set(ids.filter((_, i) => deleted[i] === 1));
    return evicted.filter((id) => gone.has(id));
  };

  const removeNew = async (record: SessionRecord): Promise<void> => {
    await run(DELETE_RECORD, [recordKey(record.id)], []);
    if (record.userId !== null) {
      const k = indexKeys(record.userId);
      await run(INDEX_REMOVE, [k.e, k.c, k.x], [record.id]);
    }
  };

  const stopTimer = startSweepTimer(sweepInterval, () => store.sweep(clock()));

  const store: RedisStore = {
    async get(id) {
      const json = await guard("could not read a session", () => client.hget(recordKey(id), "r"));
      if (json === null) return null;
      const record = decode(json);
      return isRetained(record.expiresAt, EXPIRED_RETENTION, clock()) ? record : null;
    },

    async create(record, limit) {
      if (limit !== undefined) validateLimit(limit);
      const now = clock();
      const created = await guard("could not create a session", () =>
        run(CREATE_RECORD, [recordKey(record.id)], [...writeArgs(record), ttlFor(record.expiresAt, now)]),
      );
      if (created !== 1) throw new SessionError("ERR_STORE_CONFLICT", DUPLICATE_ID);
      if (record.userId === null) return { outcome: "created", evicted: [] };
      const owned = record as SessionRecord & { userId: string };
      try {
        const reserved = await reserve(owned, limit, now);
        if (reserved === null) {
          await removeNew(record);
          return { outcome: "rejected", evicted: [] } satisfies CreateResult;
        }
        const evicted = await finishEvictions(owned.userId, reserved.evicted, reserved.pending);
        return { outcome: "created", evicted } satisfies CreateResult;
      } catch (cause) {
        // The token never reached a client, so the session is unusable; do
        // not let it count toward the user's limit until it expires.
        await removeNew(record).catch(() => {});
        throw unavailable("could not create a session", cause);
      }
    },

    async update(record, expectedVersion) {
      validateNextVersion(record.version, expectedVersion);
      const now = clock();
      const ttl = ttlFor(record.expiresAt, now);
      return guard("could not update a session", async () => {
        let added = false;
        if (record.userId !== null) {
          // Index first: if this fails nothing was written, and the record
          // can never be live for longer than its index entry says.
          const k = indexKeys(record.userId);
          const upsert = await run(INDEX_UPSERT, [k.e, k.c, k.x], [record.id, record.createdAt, record.expiresAt, ttl]);
          added = upsert === 2;
        }
        const reply = (await run(
          UPDATE_RECORD,
          [recordKey(record.id)],
          [expectedVersion, now, ...writeArgs(record), ttl],
        )) as Array<number | string>;
        if (reply[0] !== 1) {
          if (added && record.userId !== null) await dropMissing(record.userId, [record.id]).catch(() => 0);
          return false;
        }
        const previous = reply[1];
        if (typeof previous === "string" && previous !== record.userId) {
          const k = indexKeys(previous);
          // Best effort: a stale entry only costs a place in the old user's count until it expires.
          await run(INDEX_REMOVE, [k.e, k.c, k.x], [record.id]).catch(() => {});
        }
        return true;
      });
    },

    async delete(id) {
      await guard("could not delete a session", async () => {
        const reply = (await run(DELETE_RECORD, [recordKey(id)], [])) as Array<number | string>;
        const user = reply[1];
        if (typeof user === "string") {
          const k = indexKeys(user);
          await run(INDEX_REMOVE, [k.e, k.c, k.x], [id]);
        }
      });
    },

    async listByUser(userId) {
      const now = clock();
      return guard("could not list sessions", async () => {
        const k = indexKeys(userId);
        const ids = [...new Set((await run(INDEX_MEMBERS, [k.e, k.x], [now])) as string[])];
        const values = await Promise.all(ids.map((id) => client.hget(recordKey(id), "r")));
        const missing = ids.filter((_, i) => values[i] === null);
        if (missing.length > 0) await run(INDEX_REMOVE, [k.e, k.c, k.x], missing).catch(() => {});
        const records: SessionRecord[] = [];
        for (const json of values) {
          if (json === null) continue;
          const record = decodeListed(json);
          if (record !== null && record.userId === userId && record.expiresAt > now) records.push(record);
        }
        return records;
      });
    },

    async deleteByUser(userId, exceptId) {
      return guard("could not delete sessions", async () => {
        const k = indexKeys(userId);
        const members = (await run(INDEX_MEMBERS, [k.e, k.x], [""])) as string[];
        const ids = [...new Set(members)].filter((id) => id !== exceptId);
        if (ids.length === 0) return 0;
        const deleted = await Promise.all(ids.map((id) => run(DELETE_IF_OWNED, [recordKey(id)], [userId])));
        await run(INDEX_REMOVE, [k.e, k.c, k.x], ids);
        return deleted.filter((n) => n === 1).length;
      });
    },

    async sweep(now) {
      return guard("could not delete expired sessions", async () => {
        let removed = 0;
        const pattern = `${escapeGlob(prefix)}`;
        for (const node of masters(client)) {
          for await (const keys of scan(node, `${pattern}s:*`)) {
            const replies = (await Promise.all(
              keys.map((key) => run(SWEEP_RECORD, [key], [now - EXPIRED_RETENTION])),
            )) as Array<Array<number | string>>;
            const byUser = new Map<string, string[]>();
            replies.forEach((reply, i) => {
              if (reply[0] !== 1) return;
              removed++;
              const user = reply[1];
              const id = idOfRecordKey(keys[i] ?? "", prefix);
              if (typeof user === "string" && id !== null) byUser.set(user, [...(byUser.get(user) ?? []), id]);
            });
            for (const [user, ids] of byUser) {
              const k = indexKeys(user);
              await run(INDEX_REMOVE, [k.e, k.c, k.x], ids);
            }
          }
          for await (const keys of scan(node, `${pattern}{u:*}:e`)) {
            for (const key of keys) await run(PRUNE_INDEX, [key, `${key.slice(0, -1)}c`], [now]);
          }
        }
        return removed;
      });
    },

    async close() {
      stopTimer();
      if (!ownsClient || client.status === "end") return;
      if (client.status === "ready") {
        await client.quit().catch(() => client.disconnect());
      } else {
        client.disconnect();
      }
    },
  };
  return store;
}

function connect(url: string | undefined, timeout: number): Redis {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url ?? "");
  } catch {
    parsed = undefined;
  }
  // The message never repeats the URL: it may carry a password.
  if (parsed === undefined || (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")) {
    throw new SessionError("ERR_CONFIG", `${STORE}: url must look like redis://HOST:PORT[/DB] or rediss://HOST:PORT`);
  }
  const client = new Redis(url as string, redisClientOptions(timeout));
  // Connection errors reach callers through the rejected commands; without a
  // listener ioredis would also print each one.
  client.on("error", () => {});
  return client;
}

/** EVALSHA, loading the script with EVAL when the server does not know it (first use, restart, failover). */
async function evalScript(
  client: Redis | Cluster,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, script.keys, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return client.eval(script.lua, script.keys, ...keys, ...args);
  }
}

function masters(client: Redis | Cluster): Redis[] {
  return client.isCluster ? (client as Cluster).nodes("master") : [client as Redis];
}

async function* scan(node: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = "0";
  for (let step = 0; step < MAX_SCAN_STEPS; step++) {
    const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
    if (keys.length > 0) yield keys;
    if (next === "0") return;
    cursor = next;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

function idOfRecordKey(key: string, prefix: string): string | null {
  const head = `${prefix}s:`;
  return key.startsWith(head) ? key.slice(head.length) : null;
}

function wholeMs(value: unknown, min: number, max: number, name: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new SessionError(
    "ERR_CONFIG",
    `${STORE}: ${name} must be a whole number of milliseconds from ${min} to ${max}`,
  );
}

async function guard<T>(reason: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (cause) {
    throw unavailable(reason, cause);
  }
}

/** @throws SessionError `ERR_STORE_CORRUPT` for a value that is not a record */
function decode(json: string): SessionRecord {
  try {
    return decodeRecord(json);
  } catch {
    throw corruptRecord("Redis");
  }
}

/** A listed record, or `null` for one that cannot be decoded (skipped: no session comes from it). */
function decodeListed(json: string): SessionRecord | null {
  try {
    return decodeRecord(json);
  } catch {
    return null;
  }
}

function unavailable(reason: string, cause: unknown): SessionError {
  return storeUnavailable("Redis", reason, cause);
}
