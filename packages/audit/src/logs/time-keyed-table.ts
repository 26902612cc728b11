/** An entry of a {@link TimeKeyedTable}: when it was last used and when it was (re)inserted. */
export interface Timed {
  lastSeen: number;
  /** Log time at which the entry took its place in the table's order; managed by the table. */
  placed: number;
}

/**
 * A map whose entries are dropped once they have not been used for `ttlMs`
 * of log time (not wall time: a log replayed from last week behaves as it
 * did live), and beyond `maxSize` the least recently placed go first.
 *
 * Memory is bounded by what is live in one `ttlMs` window. Eviction is
 * amortised O(1): entries sit in insertion order; a sweep walks from the
 * oldest placement, drops what is stale and moves what was used since to
 * the back, so each live entry is moved at most once per `ttlMs`.
 */
export class TimeKeyedTable<T extends Timed> {
  readonly #map = new Map<string, T>();
  readonly #ttlMs: number;
  readonly #maxSize: number;
  readonly #onEvict: (key: string, value: T) => void;
  #peak = 0;
  #forced = 0;

  /**
   * @param ttlMs - idle time after which an entry is dropped, ms of log time
   * @param maxSize - hard cap on entries
   * @param onEvict - called for each dropped entry (to close its incidents)
   */
  constructor(ttlMs: number, maxSize: number, onEvict: (key: string, value: T) => void) {
    this.#ttlMs = ttlMs;
    this.#maxSize = maxSize;
    this.#onEvict = onEvict;
  }

  get(key: string): T | undefined {
    return this.#map.get(key);
  }

  /** Inserts a new entry (the caller checked that `key` is absent). */
  add(key: string, value: T): void {
    value.placed = value.lastSeen;
    this.#map.set(key, value);
    if (this.#map.size > this.#peak) this.#peak = this.#map.size;
    if (this.#map.size > this.#maxSize) {
      for (const [k, v] of this.#map) {
        this.#map.delete(k);
        this.#forced++;
        this.#onEvict(k, v);
        break;
      }
    }
  }

  /** Drops every entry idle since before `now - ttlMs`. */
  sweep(now: number): void {
    const cutoff = now - this.#ttlMs;
    for (const [k, v] of this.#map) {
      if (v.placed >= cutoff) break;
      this.#map.delete(k);
      if (v.lastSeen < cutoff) this.#onEvict(k, v);
      else {
        v.placed = v.lastSeen;
        this.#map.set(k, v);
      }
    }
  }

  /** Drops everything (end of input), calling `onEvict` for each entry. */
  clear(): void {
    for (const [k, v] of this.#map) this.#onEvict(k, v);
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }

  /** Largest size reached. */
  get peak(): number {
    return this.#peak;
  }

  /** Entries dropped early because the table was full. */
  get forced(): number {
    return this.#forced;
  }
}
