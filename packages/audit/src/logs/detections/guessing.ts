import type { Detection, DetectionContext, Observation } from "../context.js";
import { detach } from "../detach-string.js";
import { addClient, addEvidence, type Incident } from "../incident.js";
import { SlidingCount } from "../sliding-count.js";

interface ClientGuesses {
  readonly window: SlidingCount;
  /** New sessions this client started that the server accepted, in the window. */
  readonly accepted: SlidingCount;
  incident: Incident | null;
  last: number;
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
  readonly #clients = new Map<string, ClientGuesses>();
  readonly #windowMs: number;
  #lastSweep = 0;

  /** @param windowMs - `guessing.windowMs` */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
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
    let c = this.#clients.get(e.ip);
    if (c === undefined) {
      if (this.#clients.size >= ctx.options.maxClients) this.#dropOldest();
      c = {
        window: new SlidingCount(threshold * 4),
        accepted: new SlidingCount(threshold * 4),
        incident: null,
        last: e.time,
      };
      this.#clients.set(detach(e.ip), c);
    }
    if (c.incident !== null && e.time - c.last > windowMs) {
      c.incident.open = false;
      c.incident = null;
    }
    c.last = e.time;
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
    const incident: Incident = {
      detection: "log-guessing",
      severity: "high",
      confidence: "firm",
      grade: null,
      session: null,
      account: null,
      clients: [],
      start: c.window.oldest ?? e.time,
      end: e.time,
      evidence: [],
      lines: c.window.count - 1,
      facts: {
        distinctIds: distinct,
        refusals: c.window.count,
        acceptedSessions: c.accepted.count,
        threshold,
        windowMs,
      },
      open: true,
    };
    addClient(incident, ctx.client(e, "source", o.ref));
    addEvidence(incident, o.ref, e, ctx.describe(e, o.session), 0);
    c.incident = incident;
    ctx.raise(incident);
  }

  sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [ip, c] of this.#clients) {
      if (now - c.last > this.#windowMs) {
        if (c.incident !== null) c.incident.open = false;
        this.#clients.delete(ip);
      }
    }
  }

  #dropOldest(): void {
    for (const [ip, c] of this.#clients) {
      if (c.incident !== null) c.incident.open = false;
      this.#clients.delete(ip);
      return;
    }
  }

  finish(): void {
    for (const c of this.#clients.values()) if (c.incident !== null) c.incident.open = false;
    this.#clients.clear();
  }
}
