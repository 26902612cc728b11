import type { Detection, DetectionContext, Observation } from "../context.js";
import { detach } from "../detach-string.js";
import { addClient, addEvidence, type Incident } from "../incident.js";
import { SlidingCount } from "../sliding-count.js";

interface Burst {
  readonly window: SlidingCount;
  incident: Incident | null;
  last: number;
}

/**
 * `log-login-burst` (SPEC §3): failed logins (a request to
 * `loginBurst.loginPath` answered with one of `loginBurst.failureStatuses`)
 * from one client (`perClient` within `windowMs`), or against one account
 * (`perAccount` failures from at least `perAccountClients` clients; the
 * account comes from `%u`/`remote_user` or a mapped JSON field). One
 * incident per client or account and burst.
 */
export class LoginBurstDetection implements Detection {
  readonly #clients = new Map<string, Burst>();
  readonly #accounts = new Map<string, Burst>();
  readonly #windowMs: number;
  #lastSweep = 0;

  /** @param windowMs - `loginBurst.windowMs` */
  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  observe(o: Observation, ctx: DetectionContext): void {
    const e = o.entry;
    const opts = ctx.options.loginBurst;
    if (e.kind !== "request" || e.path === null || e.status === null || e.ip === null) return;
    if (!opts.failureStatuses.includes(e.status) || !opts.loginPath.test(e.path)) return;
    if (e.method !== null && e.method !== "POST" && e.method !== "PUT") return;
    const ip = detach(e.ip);
    this.#count(this.#clients, ip, ip, o, ctx, opts.perClient, 1);
    if (e.user !== null)
      this.#count(this.#accounts, detach(e.user), ip, o, ctx, opts.perAccount, opts.perAccountClients);
  }

  #count(
    map: Map<string, Burst>,
    key: string,
    distinctKey: string,
    o: Observation,
    ctx: DetectionContext,
    threshold: number,
    minClients: number,
  ): void {
    const e = o.entry;
    const { windowMs } = ctx.options.loginBurst;
    let b = map.get(key);
    if (b === undefined) {
      if (map.size >= ctx.options.maxClients) {
        for (const [k, old] of map) {
          if (old.incident !== null) old.incident.open = false;
          map.delete(k);
          break;
        }
      }
      b = { window: new SlidingCount(Math.max(threshold * 4, 64)), incident: null, last: e.time };
      map.set(key, b);
    }
    if (b.incident !== null && e.time - b.last > windowMs) {
      b.incident.open = false;
      b.incident = null;
    }
    b.last = e.time;
    const byAccount = map === this.#accounts;
    if (b.incident !== null) {
      b.incident.facts.failures = (b.incident.facts.failures as number) + 1;
      addEvidence(
        b.incident,
        o.ref,
        e,
        ctx.describe(e, o.session),
        addClient(b.incident, ctx.client(e, "source", o.ref)),
      );
      return;
    }
    b.window.add(e.time, distinctKey, windowMs);
    if (b.window.count < threshold) return;
    const clients = b.window.distinct();
    if (clients < minClients) return;
    const incident: Incident = {
      detection: "log-login-burst",
      severity: "medium",
      confidence: "firm",
      grade: null,
      session: null,
      account: byAccount ? key : e.user,
      clients: [],
      start: b.window.oldest ?? e.time,
      end: e.time,
      evidence: [],
      lines: b.window.count - 1,
      facts: { scope: byAccount ? "account" : "client", failures: b.window.count, clients, threshold, windowMs },
      open: true,
    };
    addEvidence(incident, o.ref, e, ctx.describe(e, o.session), addClient(incident, ctx.client(e, "source", o.ref)));
    b.incident = incident;
    ctx.raise(incident);
  }

  sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const map of [this.#clients, this.#accounts]) {
      for (const [k, b] of map) {
        if (now - b.last > this.#windowMs) {
          if (b.incident !== null) b.incident.open = false;
          map.delete(k);
        }
      }
    }
  }

  finish(): void {
    for (const map of [this.#clients, this.#accounts]) {
      for (const b of map.values()) if (b.incident !== null) b.incident.open = false;
      map.clear();
    }
  }
}
