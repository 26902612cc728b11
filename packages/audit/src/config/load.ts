import { readFile } from "node:fs/promises";
import { AuditError } from "../errors.js";
import { parseDurationMs } from "./duration.js";
import { type ConfigFile, configSchema } from "./schema.js";

/** The validated audit configuration, durations in milliseconds. */
export interface AuditConfig extends Omit<ConfigFile, "policy" | "budget" | "target" | "tokenSource"> {
  readonly target: URL;
  readonly tokenSource: NonNullable<ConfigFile["tokenSource"]>;
  readonly policy: {
    readonly maxIdleMs: number;
    readonly maxAbsoluteMs: number;
    readonly minEntropyBits: number;
    readonly maxConcurrentSessions: number | null;
  };
  readonly budget: { readonly maxRequests: number; readonly rate: number; readonly maxDurationMs: number };
}

/**
 * Validates a configuration object; `targetArg` (the CLI's `<url>`) wins over the file.
 * @throws AuditError `ERR_CONFIG` naming each wrong key and what it must be
 */
export function resolveConfig(raw: unknown, targetArg: string | undefined, source = "the configuration"): AuditConfig {
  // No file means defaults; a file holding `null` (or an array, a number) is a mistake worth naming.
  const parsed = configSchema.safeParse(raw === undefined ? {} : raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.length === 0 ? "(top level)" : issue.path.join(".");
      return `  ${path}: ${issue.message}`;
    });
    throw new AuditError("ERR_CONFIG", `${source} is invalid:\n${lines.join("\n")}`);
  }
  const file = parsed.data;
  const targetText = targetArg ?? file.target;
  if (targetText === undefined) {
    throw new AuditError(
      "ERR_USAGE",
      'no target: pass the URL as `sessionguard audit <url>` or set "target" in the config',
    );
  }
  let target: URL;
  try {
    target = new URL(targetText);
  } catch {
    throw new AuditError(
      "ERR_USAGE",
      `the target "${targetText.slice(0, 200)}" is not a URL; use e.g. http://127.0.0.1:8080`,
    );
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new AuditError("ERR_USAGE", "the target must be an http:// or https:// URL");
  }
  if (target.username !== "" || target.password !== "") {
    throw new AuditError("ERR_USAGE", "put credentials in the config's login section, not in the target URL");
  }
  const ms = (text: string): number => parseDurationMs(text) as number;
  return {
    ...file,
    target,
    tokenSource: file.tokenSource ?? { url: "/", method: "GET", jar: "fresh" },
    policy: {
      maxIdleMs: ms(file.policy.maxIdle),
      maxAbsoluteMs: ms(file.policy.maxAbsolute),
      minEntropyBits: file.policy.minEntropyBits,
      maxConcurrentSessions: file.policy.maxConcurrentSessions,
    },
    budget: {
      maxRequests: file.budget.maxRequests,
      rate: file.budget.rate,
      maxDurationMs: ms(file.budget.maxDuration),
    },
  };
}

/**
 * Reads and validates a JSON configuration file.
 * @throws AuditError `ERR_CONFIG` for a missing, unreadable or invalid file
 */
export async function loadConfigFile(path: string, targetArg: string | undefined): Promise<AuditConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AuditError(
      "ERR_CONFIG",
      code === "ENOENT"
        ? `the config file ${path} does not exist`
        : `the config file ${path} cannot be read (${code ?? "error"})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the error, which may be a password.
    throw new AuditError("ERR_CONFIG", `the config file ${path} is not valid JSON ${jsonErrorPlace(text)}`);
  }
  return resolveConfig(raw, targetArg, `the config file ${path}`);
}

/** Where a JSON text stops parsing, as "at line L, column C" (found by bisecting the longest valid prefix). */
function jsonErrorPlace(text: string): string {
  let low = 0;
  let high = text.length;
  const parsesSoFar = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (error) {
      // A prefix that only ran out of input is fine so far; any other complaint comes earlier.
      return /end of JSON input|Unterminated/i.test((error as Error).message);
    }
  };
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (parsesSoFar(mid)) low = mid;
    else high = mid - 1;
  }
  const before = text.slice(0, low + 1).split("\n");
  return `(at line ${before.length}, column ${(before.at(-1) ?? "").length}): check quotes, commas and braces there`;
}
