import type { Clock } from "./clock.js";

/** Settings of the invalid-token limit, durations in milliseconds. */
export interface GuessGuardSettings {
  /** Invalid tokens allowed per client within `window`. */
  readonly max: number;
  readonly window: number;
  /** How long a client stays blocked once over the limit. */
  readonly block: number;
}

interface Entry {
  count: number;
  windowStart: number;
  blockedUntil: number;
}

/** Clients tracked at once; the oldest are forgotten first, so memory stays bounded under a flood. */
const MAX_CLIENTS = 10_000;

/**
 * Counts invalid session tokens per client (IP) and blocks a client that
 * sends too many: session-id guessing needs many tries, a real browser
 * presents at most one stale token per visit. In-process and bounded.
 */
export class GuessGuard {
  readonly #settings: GuessGuardSettings;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(settings: GuessGuardSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** Seconds until the client may send tokens again, or 0 when it is not blocked. */
  blockedFor(client: string): number {
    const entry = this.#entries.get(client);
    const now = this.#clock();
    return entry === undefined || entry.blockedUntil <= now ? 0 : Math.ceil((entry.blockedUntil - now) / 1000);
  }

  /** Records one invalid token from the client. */
  record(client: string): void {
    const now = this.#clock();
    let entry = this.#entries.get(client);
    if (entry === undefined || now - entry.windowStart >= this.#settings.window) {
      entry = { count: 0, windowStart: now, blockedUntil: entry?.blockedUntil ?? 0 };
    }
    entry.count++;
    if (entry.count > this.#settings.max) entry.blockedUntil = now + this.#settings.block;
    // Re-insert so Map order is least-recently-seen first, then trim.
    this.#entries.delete(client);
    this.#entries.set(client, entry);
    if (this.#entries.size > MAX_CLIENTS) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
