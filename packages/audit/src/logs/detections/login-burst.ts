import { type Burst, BurstTable } from "../burst-table.js";
import type { Detection, DetectionContext, Observation } from "../context.js";
import { detach } from "../detach-string.js";
import { addClient, addEvidence, openIncident } from "../incident.js";
import type { LogOptions } from "../options.js";
import { SlidingCount } from "../sliding-count.js";

interface Failures extends Burst {
  readonly window: SlidingCount;
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
  readonly #clients: BurstTable<Failures>;
  readonly #accounts: BurstTable<Failures>;

  constructor(options: LogOptions) {
    const { windowMs, perClient, perAccount } = options.loginBurst;
    const table = (threshold: number): BurstTable<Failures> =>
      new BurstTable(windowMs, options.maxClients, (time) => ({
        window: new SlidingCount(Math.max(threshold * 4, 64)),
        incident: null,
        last: time,
      }));
    this.#clients = table(perClient);
    this.#accounts = table(perAccount);
  }

  observe(o: Observation, ctx: DetectionContext): void {
    const e = o.entry;
    const opts = ctx.options.loginBurst;
    if (e.kind !== "request" || e.path === null || e.status === null || e.ip === null) return;
    if (!opts.failureStatuses.includes(e.status) || !opts.loginPath.test(e.path)) return;
    if (e.method !== null && e.method !== "POST" && e.method !== "PUT") return;
    const ip = detach(e.ip);
    this.#count("client", ip, ip, o, ctx, opts.perClient, 1);
    if (e.user !== null) this.#count("account", detach(e.user), ip, o, ctx, opts.perAccount, opts.perAccountClients);
  }

  #count(
    scope: "client" | "account",
    key: string,
    client: string,
    o: Observation,
    ctx: DetectionContext,
    threshold: number,
    minClients: number,
  ): void {
    const e = o.entry;
    const { windowMs } = ctx.options.loginBurst;
    const b = (scope === "client" ? this.#clients : this.#accounts).touch(key, e.time);
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
    b.window.add(e.time, client, windowMs);
    if (b.window.count < threshold) return;
    const clients = b.window.distinct();
    if (clients < minClients) return;
    const incident = openIncident("log-login-burst", "medium", {
      account: scope === "account" ? key : e.user,
      start: b.window.oldest ?? e.time,
      end: e.time,
      lines: b.window.count - 1,
      facts: { scope, failures: b.window.count, clients, threshold, windowMs },
    });
    addEvidence(incident, o.ref, e, ctx.describe(e, o.session), addClient(incident, ctx.client(e, "source", o.ref)));
    b.incident = incident;
    ctx.raise(incident);
  }

  sweep(now: number): void {
    this.#clients.sweep(now);
    this.#accounts.sweep(now);
  }

  finish(): void {
    this.#clients.finish();
    this.#accounts.finish();
  }
}
