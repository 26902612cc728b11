import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionStore } from "sessionguard";
import { memoryStore } from "sessionguard/stores/memory";
import { sqliteStore } from "sessionguard/stores/sqlite";
import { LabUsageError } from "./errors.js";

/**
 * Opens the store named by `--store` (SPEC §4.1): `sqlite:PATH` (default: a
 * file in a new temporary folder), `memory:`.
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
  throw new LabUsageError(
    `--store ${scheme}: is not supported yet; use sqlite:PATH or memory: (Redis and PostgreSQL stores are planned)`,
  );
}
