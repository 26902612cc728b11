import { createHash } from "node:crypto";

/**
 * The only form in which a session token leaves the engine (SPEC §3): the
 * first 16 hex digits of its SHA-256. Stable, so an incident can be matched
 * against a store's hashed keys, and useless for replay.
 */
export function shortHash(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}
