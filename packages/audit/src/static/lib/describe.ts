import type { StaticValue } from "./evaluate.js";
import { UNKNOWN } from "./evaluate.js";

/** A static value as source text, for messages. */
export function show(value: StaticValue): string {
  if (value === UNKNOWN) return "unknown";
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}
