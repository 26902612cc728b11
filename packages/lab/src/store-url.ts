import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionStore } from "sessionguard";
import { memoryStore } from "sessionguard/stores/memory";
import { postgresStore } from "sessionguard/stores/postgres";
import { redisStore } from "sessionguard/stores/redis";
import { sqliteStore } from "sessionguard/stores/sqlite";
import { LabUsageError } from "./errors.js";

/**
 * Opens the store named by `--store` (SPEC §4.1): `sqlite:PATH` (default: a
 * file in a new temporary folder), `memory:`, `redis://HOST:PORT[/DB]`
 * (or `rediss://`), `postgres://USER@HOST:PORT/DB` (or `postgresql://`).
 *
 * Redis and PostgreSQL connect lazily and reconnect by themselves: when the
 * server is unreachable, requests that need a session answer 503 and the lab
 * keeps running until it comes back. The description never shows a password.
 */
export function openStore(url: string | undefined): { store: SessionStore; description: string } {
  if (url === undefined || url === "sqlite:") {
    const path = join(mkdtempSync(join(tmpdir(), "sessionguard-lab-")), "sessions.db");
    return { store: sqliteStore({ path }), description: `sqlite:${path}` };
  }
  if (url === "memory:") return { store: memoryStore(), description: "memory:" };
  if (url.startsWith("sqlite:")) {
    const path = url.slice("sqlite:".length);
    return { store: sqliteStore({ path }), description: `sqlite:${path}` };
  }
  const scheme = url.split(":")[0] ?? "";
  if (scheme === "redis" || scheme === "rediss") {
    const parsed = parseNetworkUrl(url, "redis://HOST:PORT[/DB]");
    if (!/^(\/\d{1,2})?\/?$/.test(parsed.pathname)) {
      throw new LabUsageError(
        `--store ${redact(parsed)}: the path of a Redis URL is a database number, e.g. redis://127.0.0.1:6379/0`,
      );
    }
    return { store: redisStore({ url }), description: redact(parsed) };
  }
  if (scheme === "postgres" || scheme === "postgresql") {
    const parsed = parseNetworkUrl(url, "postgres://USER@HOST:PORT/DB");
    if (parsed.pathname.length < 2) {
      throw new LabUsageError(
        `--store ${redact(parsed)}: name the database, e.g. postgres://postgres@127.0.0.1:5432/postgres`,
      );
    }
    return { store: postgresStore({ connectionString: url }), description: redact(parsed) };
  }
  throw new LabUsageError(
    `--store ${scheme}: is not supported; use sqlite:PATH, memory:, redis://HOST:PORT[/DB] or postgres://USER@HOST:PORT/DB`,
  );
}

function parseNetworkUrl(url: string, shape: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: a malformed URL may still contain a password.
    throw new LabUsageError(`--store: not a valid URL; expected ${shape}`);
  }
  if (parsed.hostname === "") throw new LabUsageError(`--store ${redact(parsed)}: a host is required (${shape})`);
  return parsed;
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== "") copy.password = "***";
  return copy.href;
}
