/**
 * Generated web traffic for the `logs` tests and benchmark: ordinary users
 * (desktop, roaming phones, users behind NAT, two-device users, browsers
 * that update themselves, expired sessions, crawlers without sessions) and,
 * on request, one planted incident of each kind. Deterministic (seeded),
 * streaming (a heap of per-session plans, so a gigabyte needs no gigabyte of
 * memory), and the planted list says what must be found.
 */

import type { SessionEvent } from "sessionguard";

/** One access-log request. */
export interface TrafficRecord {
  readonly time: number;
  readonly ip: string;
  readonly ua: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly user: string | null;
  /** The session cookie value presented, or `null`. */
  readonly cookie: string | null;
  readonly bytes: number;
}

/** One library event (the library's `SessionEvent`, its time as `time`). */
export type EventRecord = Omit<SessionEvent, "at"> & { readonly time: number };

/** A planted incident: what a correct analysis must report. */
export interface Planted {
  readonly detection: string;
  /** Raw session token (access logs) or public id (events). */
  readonly session?: string;
  readonly ip?: string;
  readonly account?: string;
}

/** Options of the generators. */
export interface TrafficOptions {
  readonly seed: number;
  /** Ordinary user sessions. */
  readonly sessions: number;
  /** Log start, ms since the epoch. */
  readonly start: number;
  /** Log span (at least 15 h so `log-past-absolute` and `log-unissued-id` can be planted). */
  readonly spanMs: number;
  readonly plant: boolean;
  /** Crawlers (no cookies) requesting across the whole span. */
  readonly crawlers?: number;
  /** Scales the number of requests per session (default 1; the benchmark uses short sessions to fit 500,000 in 1 GB). */
  readonly depth?: number;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function token(rnd: () => number, length = 43): string {
  let s = "";
  for (let i = 0; i < length; i++) s += B64[Math.floor(rnd() * 64)];
  return s;
}

const DESKTOP = [
  (v: number) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
  (v: number) => `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`,
  (v: number) =>
    `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v - 100}.1 Safari/605.1.15`,
  (v: number) =>
    `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.2210.91`,
];
const MOBILE = [
  (v: number) =>
    `Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v - 100}.1 Mobile/15E148 Safari/604.1`,
  (v: number) =>
    `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`,
];
const CRAWLERS = [
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
];
const ATTACKER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0";
const PAGES = ["/", "/products/17", "/products/42", "/search?q=shoes", "/static/app.js", "/static/site.css", "/cart"];
const PRIVATE = ["/account", "/orders", "/orders/7", "/api/cart", "/settings"];

interface Step {
  readonly time: number;
  readonly access?: TrafficRecord;
  readonly event?: EventRecord;
}

/** A min-heap of plans keyed by their next step's time. */
class Heap {
  readonly #items: { time: number; steps: Step[]; at: number }[] = [];
  push(steps: Step[]): void {
    if (steps.length === 0) return;
    steps.sort((a, b) => a.time - b.time);
    this.#items.push({ time: (steps[0] as Step).time, steps, at: 0 });
    this.#up(this.#items.length - 1);
  }
  get size(): number {
    return this.#items.length;
  }
  peekTime(): number {
    return this.#items[0]?.time ?? Number.POSITIVE_INFINITY;
  }
  pop(): Step {
    const top = this.#items[0] as { time: number; steps: Step[]; at: number };
    const step = top.steps[top.at++] as Step;
    if (top.at < top.steps.length) top.time = (top.steps[top.at] as Step).time;
    else {
      const last = this.#items.pop() as typeof top;
      if (this.#items.length > 0) this.#items[0] = last;
    }
    this.#down(0);
    return step;
  }
  #up(i: number): void {
    const items = this.#items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((items[p] as { time: number }).time <= (items[i] as { time: number }).time) break;
      [items[p], items[i]] = [items[i] as never, items[p] as never];
      i = p;
    }
  }
  #down(i: number): void {
    const items = this.#items;
    for (;;) {
      const l = i * 2 + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && (items[l] as { time: number }).time < (items[m] as { time: number }).time) m = l;
      if (r < items.length && (items[r] as { time: number }).time < (items[m] as { time: number }).time) m = r;
      if (m === i) return;
      [items[m], items[i]] = [items[i] as never, items[m] as never];
      i = m;
    }
  }
}

interface Client {
  ip: string;
  ua: string;
  kind: "desktop" | "mobile" | "nat";
}

/**
 * Builds the traffic: `records()` yields access records in time order,
 * `events()` the library events of the same sessions; `planted` lists the
 * incidents planted (empty unless `plant`).
 */
export class Traffic {
  readonly planted: Planted[] = [];
  readonly #o: TrafficOptions;

  constructor(options: TrafficOptions) {
    this.#o = options;
    if (options.plant) {
      this.planted.push(
        { detection: "log-hijack", session: "plantedHijackVictimToken0000000000000000000" },
        { detection: "log-guessing", ip: "192.0.2.66" },
        { detection: "log-after-logout", session: "plantedAfterLogoutToken00000000000000000000" },
        { detection: "log-login-burst", ip: "192.0.2.99" },
        { detection: "log-login-burst", account: "carol" },
        { detection: "log-past-absolute", session: "plantedPastAbsoluteToken0000000000000000000" },
      );
    }
  }

  /** Planted incidents of the library-event log. */
  static readonly plantedEvents: readonly Planted[] = [
    { detection: "log-unissued-id", session: "evUnissuedPublicId0000" },
    { detection: "log-hijack", session: "evHijackedPublicId0000" },
    { detection: "log-after-logout", session: "evAfterLogoutPubId0000" },
    { detection: "log-guessing", ip: "192.0.2.66" },
    { detection: "log-past-absolute", session: "evPastAbsolutePubId000" },
  ];

  #client(rnd: () => number, n: number): Client {
    const v = 118 + Math.floor(rnd() * 4);
    const r = rnd();
    if (r < 0.15) {
      // 40 NAT addresses shared by 15 % of all users (offices, carrier-grade NAT).
      return {
        ip: `100.64.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 10) + 1}`,
        ua: pick(rnd, DESKTOP.concat(MOBILE))(v),
        kind: "nat",
      };
    }
    if (r < 0.45) {
      const v6 = rnd() < 0.5;
      return {
        ip: v6
          ? `2001:db8:${(n % 4000).toString(16)}:1::${(n % 200) + 1}`
          : `172.${16 + (n % 16)}.${(n >> 4) % 250}.${(n % 200) + 2}`,
        ua: pick(rnd, MOBILE)(v),
        kind: "mobile",
      };
    }
    return { ip: `198.${18 + (n % 2)}.${(n >> 1) % 250}.${(n % 250) + 2}`, ua: pick(rnd, DESKTOP)(v), kind: "desktop" };
  }

  /** The steps of one ordinary user session (access and events together). */
  #ordinary(rnd: () => number, n: number): Step[] {
    const o = this.#o;
    const steps: Step[] = [];
    const c = this.#client(rnd, n);
    const user = `user${n}`;
    let t = this.#startOf(n) + Math.floor(rnd() * 60_000);
    let tok: string | null = null;
    let sid: string | null = null;
    const req = (
      method: string,
      path: string,
      status: number,
      cookie: string | null,
      u: string | null = null,
    ): void => {
      steps.push({
        time: t,
        access: {
          time: t,
          ip: c.ip,
          ua: c.ua,
          method,
          path,
          status,
          user: u,
          cookie,
          bytes: 200 + Math.floor(rnd() * 5000),
        },
      });
    };
    const ev = (e: Omit<EventRecord, "time">): void => {
      steps.push({ time: t, event: { time: t, ...e } });
    };
    const roam = (): void => {
      if (c.kind !== "mobile") return;
      const wider = rnd() < 0.1;
      const before = c.ip;
      if (c.ip.includes(":"))
        c.ip = wider
          ? `2001:db8:ff${Math.floor(rnd() * 16).toString(16)}:2::${Math.floor(rnd() * 99) + 1}`
          : c.ip.replace(/::\w+$/, `::${Math.floor(rnd() * 999) + 1}`);
      else
        c.ip = wider
          ? `10.${Math.floor(rnd() * 200)}.${Math.floor(rnd() * 200)}.${Math.floor(rnd() * 200) + 1}`
          : c.ip.replace(/\.\d+$/, `.${Math.floor(rnd() * 250) + 2}`);
      if (wider && sid !== null && before !== c.ip)
        ev({ type: "anomaly", sid, userId: user, reason: "ip-network", ip: c.ip, userAgent: c.ua });
    };
    // Anonymous visit: the first response sets the cookie.
    req("GET", pick(rnd, PAGES), 200, null);
    tok = token(rnd);
    sid = token(rnd, 22);
    ev({ type: "created", sid, userId: null });
    const depth = o.depth ?? 1;
    for (let i = Math.floor(rnd() * 6 * depth); i > 0; i--) {
      t += 2_000 + Math.floor(rnd() * 60_000);
      req("GET", pick(rnd, PAGES), 200, tok);
    }
    if (rnd() < 0.75) {
      t += 5_000 + Math.floor(rnd() * 30_000);
      if (rnd() < 0.1) {
        req("POST", "/login", 401, tok, user);
        t += 8_000 + Math.floor(rnd() * 20_000);
      }
      req("POST", "/login", 302, tok, user);
      const prev = sid;
      tok = token(rnd);
      sid = token(rnd, 22);
      ev({ type: "authenticated", sid, previousSid: prev, userId: user });
      ev({ type: "created", sid, userId: user });
      const updates = c.kind === "desktop" && rnd() < 0.1;
      const requests = Math.max(1, Math.round((3 + Math.floor(rnd() * 20)) * depth));
      for (let i = 0; i < requests; i++) {
        t += 3_000 + Math.floor(rnd() * 240_000);
        if (rnd() < 0.15) roam();
        if (updates && i === Math.floor(requests / 2))
          c.ua = c.ua.replace(
            /(Chrome|Firefox|rv:)(\/?)(\d+)/g,
            (_m, a: string, b: string, v: string) => `${a}${b}${Number(v) + 1}`,
          );
        req("GET", pick(rnd, rnd() < 0.6 ? PRIVATE : PAGES), 200, tok, null);
        if (i % 4 === 3) ev({ type: "refreshed", sid, userId: user });
        if (i === 10) {
          const old = sid;
          sid = token(rnd, 22);
          ev({ type: "rotated", sid, previousSid: old, userId: user });
        }
      }
      const end = rnd();
      if (end < 0.4) {
        t += 5_000 + Math.floor(rnd() * 60_000);
        req("POST", "/logout", 302, tok, null);
        ev({ type: "logout", sid, userId: user });
        tok = token(rnd);
        sid = token(rnd, 22);
        ev({ type: "created", sid, userId: null });
        t += 1_000;
        req("GET", "/login", 200, tok);
      } else if (end < 0.5) {
        // Back after the idle timeout: refused once, then logs in again.
        t += 35 * MINUTE + Math.floor(rnd() * 20 * MINUTE);
        req("GET", "/account", 401, tok);
        ev({ type: "expired", sid, userId: user, reason: "idle" });
        ev({ type: "rejected", sid: null, userId: null, reason: "expired", ip: c.ip, userAgent: c.ua });
      }
    }
    return steps;
  }

  #crawler(rnd: () => number, n: number): Step[] {
    const o = this.#o;
    const steps: Step[] = [];
    const ua = CRAWLERS[n % CRAWLERS.length] as string;
    for (
      let t = o.start + Math.floor(rnd() * 60_000);
      t < o.start + o.spanMs;
      t += 20_000 + Math.floor(rnd() * 100_000)
    ) {
      const ip = `66.249.66.${(n * 7 + Math.floor(rnd() * 3)) % 250}`;
      steps.push({
        time: t,
        access: {
          time: t,
          ip,
          ua,
          method: "GET",
          path: pick(rnd, PAGES),
          status: 200,
          user: null,
          cookie: null,
          bytes: 3000,
        },
      });
    }
    return steps;
  }

  /**
   * Decoy: an office behind one NAT address where 30 users arrive within
   * four minutes with yesterday's (unknown) cookies: each is refused once,
   * then logs in and gets a session that is accepted. Not guessing.
   */
  #morningRush(rnd: () => number): Step[][] {
    const o = this.#o;
    const plans: Step[][] = [];
    const ip = "100.64.9.9";
    for (let k = 0; k < 30; k++) {
      let t = o.start + 8 * HOUR + k * 8_000;
      const ua = (DESKTOP[k % DESKTOP.length] as (v: number) => string)(120);
      const user = `office${k}`;
      const steps: Step[] = [];
      const a = (
        method: string,
        path: string,
        status: number,
        cookie: string | null,
        u: string | null = null,
      ): void => {
        steps.push({ time: t, access: { time: t, ip, ua, method, path, status, user: u, cookie, bytes: 900 } });
      };
      a("GET", "/account", 401, token(rnd));
      steps.push({
        time: t,
        event: { time: t, type: "rejected", sid: null, userId: null, reason: "expired", ip, userAgent: ua },
      });
      t += 2_000;
      const anon = token(rnd);
      a("GET", "/login", 200, null);
      t += 9_000;
      a("POST", "/login", 302, anon, user);
      const sid = token(rnd, 22);
      steps.push({ time: t, event: { time: t, type: "authenticated", sid, userId: user } });
      steps.push({ time: t, event: { time: t, type: "created", sid, userId: user } });
      const tok = token(rnd);
      for (let i = 0; i < 4; i++) {
        t += 20_000 + Math.floor(rnd() * 60_000);
        a("GET", pick(rnd, PRIVATE), 200, tok);
      }
      plans.push(steps);
    }
    return plans;
  }

  #plantedAccess(rnd: () => number): Step[][] {
    const o = this.#o;
    const at = (h: number): number => o.start + Math.floor(h * HOUR);
    const a = (
      time: number,
      ip: string,
      ua: string,
      method: string,
      path: string,
      status: number,
      cookie: string | null,
      user: string | null = null,
    ): Step => ({
      time,
      access: { time, ip, ua, method, path, status, user, cookie, bytes: 1234 },
    });
    const victimUa = (DESKTOP[0] as (v: number) => string)(120);
    const plans: Step[][] = [];
    const hijack = this.planted[0]?.session as string;
    const h: Step[] = [];
    for (let i = 0; i < 12; i++)
      h.push(a(at(2) + i * 60_000, "198.51.100.23", victimUa, "GET", "/account", 200, hijack));
    for (let i = 0; i < 5; i++)
      h.push(
        a(
          at(2) + 330_000 + i * 45_000,
          "203.0.113.77",
          ATTACKER_UA,
          "GET",
          i === 0 ? "/account" : "/settings",
          200,
          hijack,
        ),
      );
    plans.push(h);
    const g: Step[] = [];
    for (let i = 0; i < 120; i++)
      g.push(a(at(3) + i * 1000, "192.0.2.66", "python-requests/2.31.0", "GET", "/account", 401, token(rnd)));
    plans.push(g);
    const logout = this.planted[2]?.session as string;
    plans.push([
      a(at(4), "198.51.100.40", victimUa, "GET", "/account", 200, logout),
      a(at(4) + 30_000, "198.51.100.40", victimUa, "POST", "/logout", 302, logout),
      a(at(4) + 300_000, "203.0.113.90", ATTACKER_UA, "GET", "/account", 200, logout),
      a(at(4) + 320_000, "203.0.113.90", ATTACKER_UA, "GET", "/orders", 200, logout),
    ]);
    const burst: Step[] = [];
    for (let i = 0; i < 40; i++)
      burst.push(a(at(5) + i * 6_000, "192.0.2.99", "curl/8.4.0", "POST", "/login", 401, null, `victim${i % 30}`));
    plans.push(burst);
    const carol: Step[] = [];
    for (let i = 0; i < 12; i++)
      carol.push(
        a(at(6) + i * 20_000, `203.0.${113 + (i % 3)}.${10 + i}`, victimUa, "POST", "/login", 401, null, "carol"),
      );
    plans.push(carol);
    const past = this.planted[5]?.session as string;
    const p: Step[] = [];
    for (let t = at(0.2); t < at(0.2) + 14 * HOUR; t += 20 * MINUTE)
      p.push(a(t, "198.51.100.60", victimUa, "GET", "/account", 200, past));
    plans.push(p);
    return plans;
  }

  #plantedEvents(rnd: () => number): Step[][] {
    const o = this.#o;
    const at = (h: number): number => o.start + Math.floor(h * HOUR);
    const e = (time: number, ev: Omit<EventRecord, "time">): Step => ({ time, event: { time, ...ev } });
    const [unissued, hijack, logout, , past] = Traffic.plantedEvents.map((p) => p.session as string);
    const plans: Step[][] = [];
    plans.push([
      e(at(13.5), { type: "refreshed", sid: unissued as string, userId: "mallory" }),
      e(at(13.6), { type: "refreshed", sid: unissued as string, userId: "mallory" }),
    ]);
    plans.push([
      e(at(2), { type: "created", sid: hijack as string, userId: "dave" }),
      e(at(2.1), { type: "refreshed", sid: hijack as string, userId: "dave" }),
      e(at(2.2), {
        type: "anomaly",
        sid: hijack as string,
        userId: "dave",
        reason: "user-agent,ip-network",
        ip: "203.0.113.77",
        userAgent: ATTACKER_UA,
      }),
    ]);
    plans.push([
      e(at(4), { type: "created", sid: logout as string, userId: "erin" }),
      e(at(4.1), { type: "logout", sid: logout as string, userId: "erin" }),
      e(at(4.2), { type: "refreshed", sid: logout as string, userId: "erin" }),
    ]);
    const g: Step[] = [];
    for (let i = 0; i < 60; i++)
      g.push(
        e(at(3) + i * 1000, {
          type: "rejected",
          sid: null,
          userId: null,
          reason: "unknown",
          ip: "192.0.2.66",
          userAgent: "python-requests/2.31.0",
        }),
      );
    plans.push(g);
    const p: Step[] = [e(at(0.5), { type: "created", sid: past as string, userId: "frank" })];
    let current = past as string;
    for (let k = 1; k <= 15; k++) {
      const next = k === 15 ? current : token(rnd, 22);
      if (k < 15) {
        p.push(e(at(0.5 + k), { type: "rotated", sid: next, previousSid: current, userId: "frank" }));
        current = next;
      } else p.push(e(at(0.5 + k), { type: "refreshed", sid: current, userId: "frank" }));
    }
    plans.push(p);
    return plans;
  }

  #startOf(n: number): number {
    return this.#o.start + Math.floor((n / this.#o.sessions) * (this.#o.spanMs - 3 * HOUR));
  }

  *#steps(): Generator<Step> {
    const o = this.#o;
    const rnd = prng(o.seed);
    // Session plans start in time order so the heap only holds live sessions.
    const heap = new Heap();
    for (let n = 0; n < (o.crawlers ?? 6); n++) heap.push(this.#crawler(rnd, n));
    for (const plan of this.#morningRush(rnd)) heap.push(plan);
    if (o.plant) {
      for (const plan of this.#plantedAccess(rnd)) heap.push(plan);
      for (const plan of this.#plantedEvents(rnd)) heap.push(plan);
    }
    const batch = 2000;
    for (let n = 0; n < o.sessions; n += batch) {
      const plans: Step[][] = [];
      for (let k = n; k < Math.min(o.sessions, n + batch); k++) plans.push(this.#ordinary(rnd, k));
      for (const plan of plans) heap.push(plan);
      // Emit everything that precedes the earliest start the next batch may have.
      const horizon = n + batch >= o.sessions ? Number.POSITIVE_INFINITY : this.#startOf(n + batch);
      while (heap.size > 0 && heap.peekTime() < horizon) yield heap.pop();
    }
    while (heap.size > 0) yield heap.pop();
  }

  /** Access records in time order. */
  *records(): Generator<TrafficRecord> {
    for (const s of this.#steps()) if (s.access !== undefined) yield s.access;
  }

  /** Library events in time order. */
  *events(): Generator<EventRecord> {
    for (const s of this.#steps()) if (s.event !== undefined) yield s.event;
  }
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `02/Dec/2026:17:17:25 +0000` */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** nginx/Apache combined plus the Cookie header as the last quoted field. */
export function toCombined(r: TrafficRecord): string {
  const cookie = r.cookie === null ? "-" : `theme=dark; sid=${r.cookie}; _ga=GA1.2.12345.67890`;
  return `${r.ip} - ${r.user ?? "-"} [${clfTime(r.time)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.bytes} "https://shop.example/" "${r.ua}" "${cookie}"`;
}

/** nginx `escape=json` access line with the session in `cookie_sid`. */
export function toJsonl(r: TrafficRecord): string {
  return JSON.stringify({
    time_iso8601: new Date(r.time).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
    remote_addr: r.ip,
    remote_user: r.user ?? "",
    request: `${r.method} ${r.path} HTTP/1.1`,
    status: String(r.status),
    body_bytes_sent: String(r.bytes),
    http_user_agent: r.ua,
    cookie_sid: r.cookie ?? "",
  });
}

/** A `jsonLinesLogger` line. */
export function toEventLine(e: EventRecord): string {
  return JSON.stringify({ ...e, time: undefined, at: new Date(e.time).toISOString(), source: "sessionguard" });
}
