import { SessionError } from "./errors.js";

/**
 * A duration: a number of milliseconds, or a string such as `"30s"`, `"30m"`,
 * `"12h"`, `"7d"` or `"500ms"`.
 */
export type Duration = number | string;

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Parses a {@link Duration} into milliseconds.
 * @param value - the duration
 * @param option - the option name, used in the error message
 * @throws SessionError `ERR_CONFIG` when the value is not a positive duration
 */
export function parseDuration(value: Duration, option: string): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value > 0) return value;
  } else if (typeof value === "string") {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      const ms = Number(match[1]) * (UNITS[match[2]] ?? Number.NaN);
      if (ms > 0) return Math.round(ms);
    }
  }
  throw new SessionError(
    "ERR_CONFIG",
    `${option} must be a positive duration: milliseconds as a number, or a string like "30s", "30m", "12h"`,
  );
}
