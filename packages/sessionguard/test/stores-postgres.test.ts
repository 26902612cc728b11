import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSessionError } from "../src/core/errors.js";
import { hashToken } from "../src/core/token.js";
import { EXPIRED_RETENTION, generateKey, SessionManager } from "../src/index.js";
import { postgresPoolOptions, postgresSchemaSql, postgresStore } from "../src/stores/postgres.js";
import { describeStoreConformance } from "../src/testing.js";
import { Browser } from "./helpers/harness.js";
import { expectEveryOperationUnavailable, record, rejection, T0 } from "./helpers/store-records.js";
import { freePort, requireBinaries } from "./servers/common.js";
import { countingPool, countingStore } from "./servers/counting.js";
import { INITDB, PG_CTL, type PostgresServer, startPostgres } from "./servers/postgres.js";

const available = requireBinaries(
  "PostgreSQL store",
  { initdb: INITDB, pg_ctl: PG_CTL },
  "apt-get install postgresql-15, or set PG_BIN to its bin directory",
);

let tables = 0;
const nextTable = (): string => `sg_test_${++tables}`;

describe.skipIf(!available)("postgres store", () => {
  let server: PostgresServer;
  let pool: pg.Pool;

  beforeAll(async () => {
    server = await startPostgres();
    pool = new pg.Pool({ ...postgresPoolOptions(5000), connectionString: server.url, max: 20 });
    pool.on("error", () => {});
  });

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  describeStoreConformance("postgres", async (clock) => {
    const table = nextTable();
    return {
      store: postgresStore({ pool, table, clock, sweepInterval: 0 }),
      cleanup: async () => {
        await pool.query(`DROP TABLE IF EXISTS "${table}"`);
      },
    };
  });

  it("costs exactly one query for a request whose session needs no write", async () => {
    const counted = countingPool(pool);
    const store = countingStore(postgresStore({ pool: counted.pool, table: nextTable(), sweepInterval: 0 }));
    const manager = new SessionManager({ store: store.store, keys: [generateKey()], insecureDevelopmentCookie: true });
    const browser = new Browser(manager);
    await browser.request((session) => session.login("alice"));
    counted.reset();
    store.calls.clear();
    expect(await browser.request((session) => session.userId)).toBe("alice");
    expect(Object.fromEntries(store.calls)).toStrictEqual({ get: 1 });
    expect(counted.queries()).toBe(1);
    await manager.close();
  });

  it("a row whose columns were rewritten (meta of another JSON type, user, deadline) is rejected and deleted", async () => {
    const table = nextTable();
    const manager = new SessionManager({
      store: postgresStore({ pool, table, sweepInterval: 0 }),
      keys: [generateKey()],
      insecureDevelopmentCookie: true,
    });
    const events: string[] = [];
    manager.on("rejected", (event) => events.push(event.reason ?? ""));
    const statements = [
      `UPDATE "${table}" SET meta = '"a string"'::jsonb WHERE id = $1`,
      `UPDATE "${table}" SET meta = 'null'::jsonb WHERE id = $1`,
      `UPDATE "${table}" SET meta = '{"ip":1}'::jsonb WHERE id = $1`,
      `UPDATE "${table}" SET user_id = 'admin' WHERE id = $1`,
      `UPDATE "${table}" SET expires_at = expires_at + 86400000, idle_timeout = idle_timeout * 48 WHERE id = $1`,
      `UPDATE "${table}" SET data = '' WHERE id = $1`,
    ];
    for (const statement of statements) {
      const b = new Browser(manager);
      await b.request((session) => session.login("alice"));
      const id = await hashToken(b.token as string);
      expect((await pool.query(statement, [id])).rowCount, statement).toBe(1);
      expect(await b.request((session) => session.userId), statement).toBeNull();
      expect((await pool.query(`SELECT 1 FROM "${table}" WHERE id = $1`, [id])).rowCount, statement).toBe(0);
    }
    expect(events).toStrictEqual(Array(statements.length).fill("undecryptable"));
    await manager.close();
    await pool.query(`DROP TABLE IF EXISTS "${table}"`);
  });

  it("creates the table with its indexes once, even when many app servers start together", async () => {
    const table = nextTable();
    const stores = Array.from({ length: 8 }, () => postgresStore({ pool, table, sweepInterval: 0, clock: () => T0 }));
    await Promise.all(stores.map((store, i) => store.create(record(`first-${i}`, { userId: null }))));
    const indexes = await pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = $1 ORDER BY indexname",
      [table],
    );
    expect(indexes.rows.map((r) => r.indexdef.replace(/^.* USING /, ""))).toStrictEqual([
      "btree (expires_at)",
      "btree (id)",
      "btree (user_id) WHERE (user_id IS NOT NULL)",
    ]);
    const comment = await pool.query<{ c: string }>("SELECT obj_description($1::regclass, 'pg_class') AS c", [table]);
    expect(comment.rows[0]?.c).toBe("sessionguard sessions, schema version 1");
    expect(await stores[0]?.get("first-7")).not.toBeNull();
  });

  it("ships sql/postgres.sql equal to postgresSchemaSql(), and uses a table it created with createTable: false", async () => {
    const file = readFileSync(new URL("../sql/postgres.sql", import.meta.url), "utf8");
    expect(file).toBe(postgresSchemaSql());
    const schema = "sg_migrated";
    const table = "app_sessions";
    // A multi-statement simple query, as psql -f or a migration tool would run it.
    await pool.query(postgresSchemaSql({ schema, table }));
    await pool.query(postgresSchemaSql({ schema, table }));
    const store = postgresStore({ pool, schema, table, createTable: false, sweepInterval: 0, clock: () => T0 });
    await store.create(record("migrated"));
    expect(await store.get("migrated")).toStrictEqual(record("migrated"));
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it("reports a missing table (createTable: false) or a newer schema version as ERR_CONFIG", async () => {
    const missing = postgresStore({ pool, table: nextTable(), createTable: false, sweepInterval: 0 });
    const error = await rejection(missing.get("x"));
    expect(isSessionError(error, "ERR_CONFIG")).toBe(true);
    expect((error as Error).message).toContain("sql/postgres.sql");

    const table = nextTable();
    await pool.query(`CREATE TABLE "${table}" (id text)`);
    await pool.query(`COMMENT ON TABLE "${table}" IS 'sessionguard sessions, schema version 99'`);
    const newer = await rejection(postgresStore({ pool, table, sweepInterval: 0 }).get("x"));
    expect(isSessionError(newer, "ERR_CONFIG")).toBe(true);
    expect((newer as Error).message).toContain("version 99");
  });

  it("keeps the per-user limit across app servers with separate pools", async () => {
    const table = nextTable();
    const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: server.url, max: 5 }));
    const stores = pools.map((p) => postgresStore({ pool: p, table, sweepInterval: 0, clock: () => T0 }));
    await stores[0]?.get("warm-up");
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stores[i % 3]?.create(record(`s${i}`, { createdAt: T0 + i }), { max: 3, policy: "reject" }),
      ),
    );
    expect(results.filter((r) => r?.outcome === "created")).toHaveLength(3);
    expect(await stores[1]?.listByUser("alice")).toHaveLength(3);
    await Promise.all(pools.map((p) => p.end()));
  });

  it("sweeps in batches, skipping rows another transaction holds instead of waiting for it", async () => {
    const table = nextTable();
    const store = postgresStore({ pool, table, sweepInterval: 0, clock: () => T0 });
    await store.get("create-table");
    await pool.query(
      `INSERT INTO "${table}" SELECT 'x' || n, NULL, $1::bigint, NULL, $1::bigint, 1, 1, $1::bigint + 1, 1, '', '{}', NULL FROM generate_series(1, 2500) n`,
      [T0],
    );
    await store.create(record("live", { expiresAt: T0 + 2 * EXPIRED_RETENTION }));
    // Expired rows stay readable for EXPIRED_RETENTION; the sweep removes them after that.
    const after = T0 + 1 + EXPIRED_RETENTION;
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "${table}" WHERE id = 'x1' FOR UPDATE`);
      expect(await store.sweep(after)).toBe(2499);
      await holder.query("COMMIT");
    } finally {
      holder.release();
    }
    expect(await store.sweep(after)).toBe(1);
    expect(await store.get("live")).not.toBeNull();
  });

  it("creates and ends its own pool from a connection string, leaving an injected pool open", async () => {
    const table = nextTable();
    const owned = postgresStore({ connectionString: server.url, table, sweepInterval: 0, clock: () => T0 });
    await owned.create(record("own"));
    await owned.close();
    await owned.close();
    const injected = postgresStore({ pool, table, sweepInterval: 0, clock: () => T0 });
    expect(await injected.get("own")).not.toBeNull();
    await injected.close();
    expect((await pool.query("SELECT 1 AS one")).rows).toStrictEqual([{ one: 1 }]);
  });

  it("wraps failures in ERR_STORE_UNAVAILABLE without ids in the message", async () => {
    const port = await freePort();
    const store = postgresStore({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
      timeout: 500,
      sweepInterval: 0,
      clock: () => T0,
    });
    await expectEveryOperationUnavailable(store, "PostgreSQL");
    await store.close();
  });

  it("refuses invalid options with ERR_CONFIG and never echoes a connection string", () => {
    const bad: unknown[] = [
      {},
      { pool, connectionString: server.url },
      { connectionString: "mysql://root:secret-password@127.0.0.1/db" },
      { pool, table: "sessions; DROP TABLE users" },
      { pool, table: 'a"b' },
      { pool, schema: "1public" },
      { pool, table: "x".repeat(64) },
      { pool, createTable: "yes" },
      { pool, timeout: 0 },
      { pool, sweepInterval: -1 },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        postgresStore(options as Parameters<typeof postgresStore>[0]);
      } catch (caught) {
        error = caught;
      }
      expect(isSessionError(error, "ERR_CONFIG"), JSON.stringify(options, ["table", "schema"])).toBe(true);
      expect((error as Error).message).not.toContain("secret-password");
    }
    expect(() => postgresSchemaSql({ table: "bad-name" })).toThrow(expect.objectContaining({ code: "ERR_CONFIG" }));
  });
});
