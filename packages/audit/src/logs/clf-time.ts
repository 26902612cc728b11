const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([+-])(\d{2})(\d{2})$/;

/**
 * Parses a Common Log Format time (`02/Dec/2026:17:17:25 +0000`, nginx's
 * `$time_local`) into milliseconds since the epoch; `null` when it is not one.
 */
export function parseClfTime(text: string): number | null {
  const m = CLF_TIME.exec(text);
  if (m === null) return null;
  const month = MONTHS[m[2] as string];
  if (month === undefined) return null;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[9]) * 60 + Number(m[10])) * 60_000 * (m[8] === "-" ? -1 : 1);
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  return Number.isNaN(utc) ? null : utc - offset + fraction;
}

/**
 * {@link parseClfTime} with a one-entry cache: consecutive lines of a busy
 * log share their second, so most lines cost one string comparison.
 */
export class ClfTimeCache {
  #text = "";
  #value: number | null = null;

  parse(text: string): number | null {
    if (text !== this.#text) {
      this.#text = text;
      this.#value = parseClfTime(text);
    }
    return this.#value;
  }
}

/** Parses an ISO-8601 time, a CLF time, or epoch seconds/milliseconds; `null` when none fits. */
export function parseAnyTime(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? Math.round(value * 1000) : value;
  if (typeof value !== "string" || value === "") return null;
  const clf = parseClfTime(value);
  if (clf !== null) return clf;
  if (/^\d+(?:\.\d+)?$/.test(value)) return parseAnyTime(Number(value));
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
