/**
 * Number and token formatting for verdict sentences: thousands separators,
 * durations, p-values, and shortened tokens (a report never shows a whole
 * token unless the user asks for secrets).
 */

/** `20000` → `20,000`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** Seconds in the most readable unit: `0.4 s`, `12 ms`, `3.2 h`. */
export function formatSeconds(seconds: number): string {
  const a = Math.abs(seconds);
  if (a < 1) return `${round(seconds * 1000, 1)} ms`;
  if (a < 120) return `${round(seconds, 1)} s`;
  if (a < 7200) return `${round(seconds / 60, 1)} min`;
  return `${round(seconds / 3600, 1)} h`;
}

/** Bits with at most one decimal: `122`, `13.3`. */
export function formatBits(bits: number): string {
  return Number.isInteger(bits) ? String(bits) : bits.toFixed(1);
}

/** A p-value in words that survive rounding: `p = 0.003`, `p < 1e-300`. */
export function formatP(p: number): string {
  if (p <= 0) return "p < 1e-300";
  if (p >= 0.001) return `p = ${p.toPrecision(2)}`;
  return `p = ${p.toExponential(1)}`;
}

/** The first 6 characters of a token and an ellipsis: enough to recognise it, not to use it. */
export function shorten(token: string): string {
  return token.length <= 8 ? `${token.slice(0, 2)}…` : `${token.slice(0, 6)}…`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
