/** Options of {@link InvalidIdThrottle}. */
export interface InvalidIdThrottleOptions {
  /** Distinct unknown ids one client may present per window; one more blocks it. Default 20. */
  readonly limit?: number;
  /** Sliding window in milliseconds. Default 60 000. */
  readonly windowMs?: number;
  /** How long a client stays blocked, in milliseconds. Default 60 000. */
  readonly blockMs?: number;
  /** Most clients tracked (oldest dropped first), so spoofed sources cannot exhaust memory. Default 10 000. */
  readonly maxClients?: number;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

interface ClientRecord {
  /** Unknown id → when it was last presented. */
  readonly seen: Map<string, number>;
  blockedUntil: number;
}

/**
 * Throttling of session-id guessing (the defence that `invalid-id-throttling`
 * removes): a client that presents more than `limit` distinct unknown session
 * ids within `windowMs` is blocked for `blockMs`. Distinct ids, so a browser
 * that keeps sending one stale cookie is never blocked.
 */
export class InvalidIdThrottle {
  readonly #clients = new Map<string, ClientRecord>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #blockMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;

  constructor(options: InvalidIdThrottleOptions = {}) {
    this.#limit = options.limit ?? 20;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#blockMs = options.blockMs ?? 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Seconds until the client may try again, or 0 when it is not blocked. */
  retryAfter(client: string): number {
    const record = this.#clients.get(client);
    const left = (record?.blockedUntil ?? 0) - this.#now();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Records an unknown id presented by `client`; returns true when the client is now blocked. */
  recordUnknown(client: string, id: string): boolean {
    const now = this.#now();
    let record = this.#clients.get(client);
    if (record === undefined) {
      if (this.#clients.size >= this.#maxClients) {
        const oldest = this.#clients.keys().next();
        if (oldest.done !== true) this.#clients.delete(oldest.value);
      }
      record = { seen: new Map(), blockedUntil: 0 };
      this.#clients.set(client, record);
    }
    for (const [seenId, at] of record.seen) if (now - at > this.#windowMs) record.seen.delete(seenId);
    record.seen.delete(id);
    record.seen.set(id, now);
    if (record.seen.size > this.#limit) {
      record.blockedUntil = now + this.#blockMs;
      // The block replaces the evidence: after it the client starts from a clean window.
      record.seen.clear();
    }
    return record.blockedUntil > now;
  }
}
