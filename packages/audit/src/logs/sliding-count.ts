/**
 * Timestamps of events in a sliding window, oldest first, with an optional
 * distinct key per event (a session id, a client address). Bounded: once
 * `cap` events are held, older ones are dropped first.
 */
export class SlidingCount {
  readonly #times: number[] = [];
  readonly #keys: string[] = [];
  #head = 0;
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Records an event at `time` and drops those older than `time - windowMs`. */
  add(time: number, key: string, windowMs: number): void {
    this.#times.push(time);
    this.#keys.push(key);
    this.prune(time - windowMs);
    if (this.#times.length - this.#head > this.#cap) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times.splice(0, this.#head);
      this.#keys.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Drops events before `cutoff`. */
  prune(cutoff: number): void {
    while (this.#head < this.#times.length && (this.#times[this.#head] as number) < cutoff) this.#head++;
  }

  /** Events in the window. */
  get count(): number {
    return this.#times.length - this.#head;
  }

  /** Distinct keys in the window. */
  distinct(): number {
    const seen = new Set<string>();
    for (let i = this.#head; i < this.#keys.length; i++) seen.add(this.#keys[i] as string);
    return seen.size;
  }

  /** Time of the oldest event in the window, or `null`. */
  get oldest(): number | null {
    return this.#head < this.#times.length ? (this.#times[this.#head] as number) : null;
  }
}
