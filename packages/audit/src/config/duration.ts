/** The longest duration a configuration may name: a year and a day (policies and budgets beyond it are typos). */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Parses `20s`, `5m`, `12h`, `1d`, `500ms` into milliseconds; `null` when invalid, zero or above {@link MAX_DURATION_MS}. */
export function parseDurationMs(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  const ms = Math.round(Number(match[1]) * unit);
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}

/** Formats milliseconds as a short duration: `20s`, `5m 3s`, `1h 5m`, `29d 12h`; `unknown` for a non-finite value. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "unknown";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)}ms`;
  const s = Math.round(abs / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  // Two units are enough to read; seconds stop mattering past an hour, minutes past a day.
  const parts =
    d > 0
      ? [`${d}d`, h > 0 ? `${h}h` : ""]
      : h > 0
        ? [`${h}h`, m > 0 ? `${m}m` : ""]
        : [m > 0 ? `${m}m` : "", sec > 0 || m === 0 ? `${sec}s` : ""];
  return parts.filter((p) => p !== "").join(" ");
}
