import { createHash } from "node:crypto";

/** The schema version this code writes and reads; stored as the table comment. */
export const POSTGRES_SCHEMA_VERSION = 1;
/** Marker of the table comment, followed by the schema version. */
export const POSTGRES_SCHEMA_MARKER = "sessionguard sessions, schema version ";

/** Schema of the session table unless configured. */
export const POSTGRES_DEFAULT_SCHEMA = "public";
/** Name of the session table unless configured. */
export const POSTGRES_DEFAULT_TABLE = "sessionguard_sessions";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** True for a name the store accepts as schema or table: letters, digits, `_`, at most 63, no leading digit. */
export function isPlainIdentifier(name: unknown): name is string {
  return typeof name === "string" && IDENTIFIER.test(name);
}

/** Quoted, schema-qualified table name and the derived index names. */
export interface TableNames {
  readonly qualified: string;
  readonly schema: string;
  readonly table: string;
  readonly userIndex: string;
  readonly expiryIndex: string;
}

/** Names for a (validated) schema and table; index names stay within PostgreSQL's 63-byte limit. */
export function tableNames(schema: string, table: string): TableNames {
  const stem = table.slice(0, 50);
  return {
    qualified: `"${schema}"."${table}"`,
    schema: `"${schema}"`,
    table: `"${table}"`,
    userIndex: `"${stem}_user_id"`,
    expiryIndex: `"${stem}_expires_at"`,
  };
}

/**
 * The DDL of schema version 1, as idempotent statements. `createSchema`
 * adds `CREATE SCHEMA IF NOT EXISTS` (only for a schema other than `public`,
 * which needs no privilege to exist).
 */
export function schemaStatements(names: TableNames, createSchema: boolean): string[] {
  return [
    ...(createSchema ? [`CREATE SCHEMA IF NOT EXISTS ${names.schema}`] : []),
    `CREATE TABLE IF NOT EXISTS ${names.qualified} (
  id text PRIMARY KEY,
  user_id text NULL,
  created_at bigint NOT NULL,
  authenticated_at bigint NULL,
  last_seen_at bigint NOT NULL,
  idle_timeout bigint NOT NULL,
  absolute_timeout bigint NOT NULL,
  expires_at bigint NOT NULL,
  version integer NOT NULL,
  data text NOT NULL,
  meta jsonb NOT NULL,
  successor text NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${names.userIndex} ON ${names.qualified} (user_id) WHERE user_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS ${names.expiryIndex} ON ${names.qualified} (expires_at)`,
    `COMMENT ON TABLE ${names.qualified} IS '${POSTGRES_SCHEMA_MARKER}${POSTGRES_SCHEMA_VERSION}'`,
  ];
}

/**
 * A signed 64-bit advisory-lock key (decimal string) from SHA-256 of the
 * parts: 64 bits make collisions between users negligible, where
 * `hashtext()`'s 32 bits would serialise unrelated users now and then.
 */
export function advisoryKey(...parts: string[]): string {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return digest.readBigInt64BE(0).toString();
}
