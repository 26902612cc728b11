import type { Incident } from "./incident.js";

/** Per-key state of a burst detection: the incident of the current burst, if any, and the last event's time. */
export interface Burst {
  incident: Incident | null;
  last: number;
}

/**
 * Keys (client addresses, accounts) with a burst in progress. A key's
 * incident stays open while its events keep coming within `windowMs`; a
 * longer gap closes it and the next burst opens a new one. Keys quiet for a
 * window are dropped (swept at most once a minute of log time); beyond
 * `maxKeys` the oldest key goes first.
 */
export class BurstTable<B extends Burst> {
  readonly #map = new Map<string, B>();
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #create: (time: number) => B;
  #lastSweep = 0;

  constructor(windowMs: number, maxKeys: number, create: (time: number) => B) {
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
    this.#create = create;
  }

  /** The key's state, without creating it. */
  get(key: string): B | undefined {
    return this.#map.get(key);
  }

  /**
   * The key's state for an event at `time` (created when new; `key` must
   * already be detached from its line), its stale incident closed.
   */
  touch(key: string, time: number): B {
    let b = this.#map.get(key);
    if (b === undefined) {
      if (this.#map.size >= this.#maxKeys) {
        for (const [k, old] of this.#map) {
          this.#drop(k, old);
          break;
        }
      }
      b = this.#create(time);
      this.#map.set(key, b);
    }
    if (b.incident !== null && time - b.last > this.#windowMs) {
      b.incident.open = false;
      b.incident = null;
    }
    b.last = time;
    return b;
  }

  sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [k, b] of this.#map) if (now - b.last > this.#windowMs) this.#drop(k, b);
  }

  finish(): void {
    for (const [k, b] of this.#map) this.#drop(k, b);
  }

  #drop(key: string, b: B): void {
    if (b.incident !== null) b.incident.open = false;
    this.#map.delete(key);
  }
}
