import { type Burst, BurstTable } from "../burst-table.js";
import type { Detection, DetectionContext, Observation } from "../context.js";
import { detach } from "../detach-string.js";
import { addClient, addEvidence, openIncident } from "../incident.js";
import type { LogOptions } from "../options.js";
import { SlidingCount } from "../sliding-count.js";

interface ClientGuesses extends Burst {
  readonly window: SlidingCount;
  /** New sessions this client started that the server accepted, in the window. */
  readonly accepted: SlidingCount;
}

/** Library `rejected` reasons that a guesser produces (an expired token is a returning user). */
const GUESS_REASONS = /unknown|malformed|unissued|invalid/;

/**
 * `log-guessing` (SPEC §3): one client presents many distinct session ids
 * that the server refuses (status in `rejectedStatuses`, or library
 * `rejected` events with reason `unknown`/`malformed`) within
 * `guessing.windowMs`. Ids the server accepted earlier in the log do not
 * count, so users behind one NAT whose sessions expire are not guessers;
 * and a client that also starts accepted sessions (an office whose users
 * arrive in the morning with yesterday's cookies, each refused once and then
 * logged in again) must refuse at least twice as many ids as it starts
 * sessions before it counts as guessing. A guesser starts none.
 * One incident per client and burst; it stays open while refusals keep
 * coming within the window.
 */
export class GuessingDetection implements Detection {
  readonly #clients: BurstTable<ClientGuesses>;
  readonly #windowMs: number;

  constructor(options: LogOptions) {
    const cap = options.guessing.threshold * 4;
    this.#windowMs = options.guessing.windowMs;
    this.#clients = new BurstTable(this.#windowMs, options.maxClients, (time) => ({
      window: new SlidingCount(cap),
      accepted: new SlidingCount(cap),
      incident: null,
      last: time,
    }));
  }

  observe(o: Observation, ctx: DetectionContext): void {
    const e = o.entry;
    if (e.ip === null) return;
    let key: string;
    if (e.kind === "request" && o.isNew && !o.refused) {
      // Only clients already under watch (they had refusals) need this count.
      const watched = this.#clients.get(e.ip);
      if (watched !== undefined && watched.incident === null) watched.accepted.add(e.time, "", this.#windowMs);
      return;
    }
    if (e.kind === "event") {
      if (e.event?.type !== "rejected" || !GUESS_REASONS.test(e.event.reason ?? "unknown")) return;
      key = `${o.ref.file}:${o.ref.line}`;
    } else {
      if (!o.refused || o.session === null || o.session.ok) return;
      key = o.session.key;
    }
    const { threshold, windowMs } = ctx.options.guessing;
    const c = this.#clients.touch(this.#clients.get(e.ip) === undefined ? detach(e.ip) : e.ip, e.time);
    if (c.incident !== null) {
      c.incident.facts.refusals = (c.incident.facts.refusals as number) + 1;
      addEvidence(c.incident, o.ref, e, ctx.describe(e, o.session), 0);
      return;
    }
    c.window.add(e.time, key, windowMs);
    if (c.window.count < threshold) return;
    const distinct = c.window.distinct();
    if (distinct < threshold) return;
    c.accepted.prune(e.time - windowMs);
    if (distinct < 2 * c.accepted.count) return;
    const incident = openIncident("log-guessing", "high", {
      start: c.window.oldest ?? e.time,
      end: e.time,
      lines: c.window.count - 1,
      facts: {
        distinctIds: distinct,
        refusals: c.window.count,
        acceptedSessions: c.accepted.count,
        threshold,
        windowMs,
      },
    });
    addClient(incident, ctx.client(e, "source", o.ref));
    addEvidence(incident, o.ref, e, ctx.describe(e, o.session), 0);
    c.incident = incident;
    ctx.raise(incident);
  }

  sweep(now: number): void {
    this.#clients.sweep(now);
  }

  finish(): void {
    this.#clients.finish();
  }
}
