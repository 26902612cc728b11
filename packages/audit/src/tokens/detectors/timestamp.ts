/**
 * Timestamps: values that track a clock. With capture times (`receivedAt`,
 * the local clock; `serverDate`, the response `Date` header) a value that
 * stays at a constant offset from the clock is a timestamp even if it is
 * scaled or shifted; without them, values in the plausible Unix-time range
 * that advance slowly are a likely timestamp.
 */
import type { TokenSample } from "../index.js";
import { maxOf, minOf } from "../lib/array.js";

/** Time units tried, as value-units per second. */
const UNITS: readonly (readonly [TimestampModel["unit"], number])[] = [
  ["s", 1],
  ["ms", 1e3],
  ["µs", 1e6],
  ["ns", 1e9],
];

const YEAR_2000 = 946_684_800;
const YEAR_2100 = 4_102_444_800;
/** Server clocks drift; a day of skew still reads as "the server's clock". */
const MAX_SKEW_SECONDS = 86_400;

/** A field that encodes the time of issue. */
export interface TimestampModel {
  readonly unit: "s" | "ms" | "µs" | "ns";
  /** What the values were compared with. */
  readonly reference: "local clock" | "server Date header" | "Unix-time range";
  /** Median of value − reference time, seconds (0 when only the range was checked). */
  readonly offsetSeconds: number;
  /** Median absolute deviation of that offset, seconds: the jitter an attacker must guess. */
  readonly jitterSeconds: number;
  /** Share of samples within 3 s (plus the jitter) of the offset. */
  readonly agreement: number;
  /** Last value seen. */
  readonly last: number;
  /** log2 of the guesses per token: the jitter window in the value's unit. */
  readonly residualBits: number;
}

/**
 * Detect a timestamp in a numeric series.
 *
 * @param values numbers in issue order (integers; larger than 2^53 are never timestamps)
 * @param samples the samples, for `receivedAt` / `serverDate`
 */
export function detectTimestamp(values: readonly number[], samples: readonly TokenSample[]): TimestampModel | null {
  if (values.length < 3 || values.some((v) => !Number.isSafeInteger(v) || v <= 0)) return null;
  const references: [TimestampModel["reference"], (s: TokenSample) => number | undefined][] = [
    ["local clock", (s) => s.receivedAt],
    ["server Date header", (s) => s.serverDate],
  ];
  let best: TimestampModel | null = null;
  for (const [unit, perSecond] of UNITS) {
    for (const [reference, time] of references) {
      const offsets: number[] = [];
      values.forEach((v, i) => {
        const t = samples[i] ? time(samples[i]!) : undefined;
        if (t !== undefined) offsets.push(v / perSecond - t / 1000);
      });
      if (offsets.length < Math.max(3, values.length / 2)) continue;
      const offset = median(offsets);
      if (Math.abs(offset) > MAX_SKEW_SECONDS) continue;
      const jitter = median(offsets.map((o) => Math.abs(o - offset)));
      // Date headers have one-second resolution: allow for it.
      const tolerance = 3 + jitter + (reference === "server Date header" ? 1 : 0);
      const agreement = offsets.filter((o) => Math.abs(o - offset) <= tolerance).length / offsets.length;
      if (agreement < 0.9 || jitter > 60) continue;
      const model: TimestampModel = {
        unit,
        reference,
        offsetSeconds: offset,
        jitterSeconds: jitter,
        agreement,
        last: values[values.length - 1]!,
        residualBits: Math.log2(Math.max(1, 2 * Math.max(jitter, 0.5) * perSecond + 1)),
      };
      if (best === null || model.residualBits < best.residualBits) best = model;
    }
  }
  if (best) return best;
  // No capture times: the Unix-time range and a slow advance (at most a week across the sample).
  for (const [unit, perSecond] of UNITS) {
    const inRange = values.filter((v) => v / perSecond >= YEAR_2000 && v / perSecond <= YEAR_2100).length;
    if (inRange < 0.95 * values.length) continue;
    const min = minOf(values);
    const max = maxOf(values);
    if ((max - min) / perSecond > 7 * 86_400) continue;
    // Seconds need a 10-digit value, ms a 13-digit one: a random 10-digit number is in range 32 % of the time,
    // so demand that the values also advance (the caller checks the sequence) — here only the range.
    return {
      unit,
      reference: "Unix-time range",
      offsetSeconds: 0,
      jitterSeconds: 0,
      agreement: inRange / values.length,
      last: values[values.length - 1]!,
      residualBits: Math.log2(Math.max(2, ((max - min) / Math.max(1, values.length - 1)) * 2 + 1)),
    };
  }
  return null;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
