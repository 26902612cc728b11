import type { z } from "zod";
import { type AuditConfig, loadConfigFile, resolveConfig } from "../config/load.js";
import type { configSchema } from "../config/schema.js";

export type { AuditConfig } from "../config/load.js";

/**
 * An audit configuration as written in a `--config` file (SPEC §2.2):
 * every key optional except where the spec says otherwise, durations as
 * strings like `"20s"`, `"5m"`, `"12h"`. {@link parseConfig} validates it and
 * fills in the defaults (OWASP policy: 30 min idle, 12 h absolute, 64 bits of
 * entropy; budget: 30,000 requests at 200 per second within 15 min).
 */
export type AuditConfigInput = z.input<typeof configSchema>;

/** Options of {@link parseConfig} and {@link loadConfig}. */
export interface ParseConfigOptions {
  /** The target URL; wins over `target` in the configuration (as the CLI's `<url>` argument does). */
  readonly target?: string;
  /** How error messages name the configuration. Default `"the configuration"`. */
  readonly source?: string;
}

/**
 * Validates an audit configuration and resolves it: the target becomes a
 * `URL`, durations become milliseconds, defaults are filled in. Unknown keys
 * are errors, so a typo cannot pass silently.
 *
 * @param raw - the configuration object (e.g. parsed JSON), see {@link AuditConfigInput}
 * @param options - a target that wins over `raw.target`, and the name used in messages
 * @returns the validated configuration, ready for {@link runAudit}
 * @throws {@link AuditError} `ERR_CONFIG` naming every wrong key and what it must be;
 *   `ERR_USAGE` when there is no target or it is not an http(s) URL
 *
 * @example
 * ```ts
 * const config = parseConfig({ target: "http://127.0.0.1:8080", policy: { maxIdle: "15m" } });
 * config.policy.maxIdleMs; // 900000
 * ```
 */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): AuditConfig {
  return resolveConfig(raw, options.target, options.source);
}

/**
 * Reads a JSON configuration file and validates it as {@link parseConfig} does.
 *
 * @param path - the file to read
 * @param options - a target that wins over the file's `target` (`source` is the file name)
 * @throws {@link AuditError} `ERR_CONFIG` for a missing, unreadable, non-JSON or invalid file
 *   (messages never quote the file's text, which may hold passwords)
 */
export function loadConfig(path: string, options: Pick<ParseConfigOptions, "target"> = {}): Promise<AuditConfig> {
  return loadConfigFile(path, options.target);
}

/** Whether `config` was already validated by {@link parseConfig} (its target is a `URL`). */
export function isResolvedConfig(config: unknown): config is AuditConfig {
  return (
    typeof config === "object" &&
    config !== null &&
    (config as { target?: unknown }).target instanceof URL &&
    typeof (config as { policy?: { maxIdleMs?: unknown } }).policy?.maxIdleMs === "number"
  );
}
