import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeHtml, page, readForm } from "../http.js";
import type { UserDirectory } from "../users.js";
import { ClientState, type ClientStateReading } from "./client-state.js";
import {
  clearingCookie,
  parseCookieHeader,
  SECURE_ATTRIBUTES,
  serializeCookie,
  sessionCookieAttributes,
  sessionCookieName,
} from "./cookies.js";
import type { FlawSet, PlantableFlaw } from "./flaws.js";
import type { SessionRecord } from "./session-table.js";
import { SessionTable } from "./session-table.js";
import { InvalidIdThrottle, type InvalidIdThrottleOptions } from "./throttle.js";
import { type PredictableVariant, selectGenerator, type TokenGenerator, type TokenSubject } from "./tokens.js";

/** Options of {@link flawedApp}. */
export interface FlawedAppOptions {
  /** The planted flaws; every other flaw is off. */
  readonly flaws: FlawSet;
  readonly users: UserDirectory;
  /** Idle timeout in milliseconds (ignored with `idle-timeout`). */
  readonly idleMs: number;
  /** Absolute timeout in milliseconds (ignored with `absolute-timeout`). */
  readonly absoluteMs: number;
  /** Generator of `token-predictable`. Default `md5-counter`. */
  readonly predictable?: PredictableVariant | undefined;
  /** Most sessions kept in memory. Default 50 000. */
  readonly capacity?: number | undefined;
  /** Throttling thresholds; defaults 20 distinct unknown ids per 60 s, blocked 60 s. */
  readonly throttle?: InvalidIdThrottleOptions | undefined;
}

/** Most concurrent sessions per user while `concurrent-sessions` is not planted. */
export const MAX_SESSIONS_PER_USER = 3;

/** Roles of the demo users; both are ordinary users. */
const ROLE = "user";

/** A session id the legacy session layer would accept as "well-formed" (PHP's use_strict_mode=0 rule, roughly). */
const WELL_FORMED_ID = /^[A-Za-z0-9._~,-]{8,256}$/;

/** The routes that start a session for a client without one (PHP's session_start()). */
const STARTS_SESSION = new Set(["GET /", "GET /login", "POST /login"]);

/** The JWT lifetime when the absolute timeout is planted away: a long "remember me" token. */
const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;

/**
 * The flawed profile: a hand-written "legacy" session system with the lab's
 * routes (SPEC §4.1) in which every flaw of SPEC §2.3 is off unless planted.
 * Sessions live in memory (bounded and swept); `--store` does not apply.
 */
export function flawedApp(options: FlawedAppOptions): {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  close: () => Promise<void>;
  /** Name of the session cookie. */
  sessionCookie: string;
} {
  const { flaws, users } = options;
  const has = (flaw: PlantableFlaw): boolean => flaws.has(flaw);
  const table = new SessionTable({
    idleMs: has("idle-timeout") ? null : options.idleMs,
    absoluteMs: has("absolute-timeout") ? null : options.absoluteMs,
    ...(options.capacity === undefined ? {} : { capacity: options.capacity }),
  });
  const sweeper = setInterval(() => table.sweep(), 30_000);
  sweeper.unref();
  const generate: TokenGenerator = selectGenerator(flaws, options.predictable).generator;
  const throttle = has("invalid-id-throttling") ? null : new InvalidIdThrottle(options.throttle);
  const clientState = new ClientState(flaws, {
    jwtLifetimeSeconds: has("absolute-timeout")
      ? THIRTY_DAYS_SECONDS
      : Math.max(1, Math.ceil(options.absoluteMs / 1000)),
  });
  const cookieName = sessionCookieName(flaws);

  /**
   * A fresh id for a new session. Colliding with a live signed-in session
   * draws again, so that only `token-duplicate`'s anonymous sharing shows and
   * no client is ever handed someone's login.
   */
  function freshId(subject: TokenSubject, avoid: string | null): string {
    let id = generate(subject);
    for (let tries = 0; tries < 8 && (id === avoid || table.peek(id)?.user != null); tries++) id = generate(subject);
    return id;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://lab.invalid");
    const route = `${req.method ?? "GET"} ${url.pathname}`;
    if (route === "GET /health") return void reply(res, 200, "ok", { type: "text/plain; charset=utf-8" });

    const setCookies: string[] = [];
    const cookieAttributes = sessionCookieAttributes(flaws, req.headers.host);
    const sessionCookie = (id: string): string => serializeCookie(cookieName, id, cookieAttributes);
    const cookies = parseCookieHeader(req.headers.cookie);
    const presented =
      cookies.get(cookieName) ?? (has("id-in-url") ? (url.searchParams.get("sid") ?? undefined) : undefined);
    const client = req.socket.remoteAddress ?? "unknown";

    if (throttle !== null && presented !== undefined) {
      // While blocked, every request that carries a session id is refused, valid or not, so a lucky guess learns nothing.
      let retryAfter = throttle.retryAfter(client);
      if (retryAfter === 0 && table.peek(presented) === undefined && throttle.recordUnknown(client, presented)) {
        retryAfter = throttle.retryAfter(client);
      }
      if (retryAfter > 0) {
        return void reply(res, 429, page("Too many requests", "<p>Too many invalid sessions. Try again later.</p>"), {
          headers: { "retry-after": String(retryAfter) },
        });
      }
    }

    let session = presented === undefined ? undefined : table.use(presented);
    if (session === undefined && STARTS_SESSION.has(route)) {
      if (presented !== undefined && has("id-adoption") && WELL_FORMED_ID.test(presented)) {
        // The flaw: the client's id is taken as is; the client already holds it, so no Set-Cookie.
        session = table.create(presented, "adopted");
      } else {
        const id = freshId(null, null);
        // A duplicate id joins the anonymous session already stored under it (`token-duplicate`).
        session = table.peek(id) ?? table.create(id);
        setCookies.push(sessionCookie(id));
      }
    }
    const sid = has("id-in-url") && session?.user != null ? `?sid=${encodeURIComponent(session.id)}` : "";
    const send = (status: number, body: string, extra: ReplyOptions = {}): void =>
      reply(res, status, body, {
        ...extra,
        cookies: setCookies,
        cacheable: has("cache-sensitive") && setCookies.length === 0,
      });
    const signIn = (): void => send(401, page("Please sign in", '<p><a href="/login">Please sign in</a>.</p>'));

    if (req.method === "POST" && req.headers["sec-fetch-site"] === "cross-site") {
      // Browsers label cross-site form posts; the lab's forms are same-origin only.
      return send(403, page("Forbidden", "<p>Cross-site request.</p>"));
    }

    switch (route) {
      case "GET /":
        return send(200, page("sessionguard lab", "<p>Public page of the flawed profile.</p>"));

      case "GET /login":
        return send(
          200,
          page(
            "Sign in",
            `<form method="post" action="/login"><input type="hidden" name="csrf" value="${escapeHtml(session?.csrf ?? "")}">` +
              `<label>Username <input name="username" autocomplete="username"></label> ` +
              `<label>Password <input name="password" type="password" autocomplete="current-password"></label> ` +
              `<button>Sign in</button></form>`,
          ),
        );

      case "POST /login": {
        const form = await readForm(req);
        if (session === undefined || !safeEqual(form.get("csrf") ?? "", session.csrf)) {
          return send(403, page("Sign in", "<p>The form expired. Please sign in again.</p>"));
        }
        const username = form.get("username") ?? "";
        if (!users.verify(username, form.get("password") ?? "")) {
          return send(401, page("Sign in", "<p>Invalid username or password.</p>"));
        }
        let current: SessionRecord = session;
        // The legacy layer regenerates only ids it minted itself, so an adopted id survives the login
        // (what makes `id-adoption` exploitable); `fixation` skips regeneration altogether.
        if (!has("fixation") && !session.adopted) {
          // A new id at every authentication (ASVS 7.2.4): the pre-login id dies here.
          const id = freshId({ user: username, role: ROLE, email: `${username}@example.com` }, session.id);
          table.delete(session.id);
          current = table.create(id);
          setCookies.length = 0;
          setCookies.push(sessionCookie(id));
        }
        table.authenticate(current, username);
        if (!has("concurrent-sessions")) table.limit(username, MAX_SESSIONS_PER_USER);
        for (const [name, value] of clientState.issue({ user: username, role: ROLE })) {
          setCookies.push(serializeCookie(name, value, SECURE_ATTRIBUTES));
        }
        const location = has("id-in-url") ? `/account?sid=${encodeURIComponent(current.id)}` : "/account";
        return send(303, "", { headers: { location } });
      }

      case "GET /account": {
        if (session?.user == null) return signIn();
        const state: ClientStateReading = clientState.read(cookies);
        if (!state.ok) return signIn();
        const user = state.profile?.user ?? state.jwt?.user ?? session.user;
        const role = state.profile?.role ?? state.jwt?.role ?? ROLE;
        return send(
          200,
          page(
            "Account",
            `<p>Signed in as ${escapeHtml(user)}</p><p>role: ${escapeHtml(role)}</p>` +
              (state.jwt === undefined ? "" : `<p>token subject: ${escapeHtml(state.jwt.user)}</p>`) +
              `<p><a href="/account${sid}">Refresh</a></p>` +
              `<form method="post" action="/logout${sid}"><button>Sign out</button></form>` +
              `<form method="post" action="/password${sid}"><input name="current" type="password"> <input name="next" type="password"> <button>Change password</button></form>`,
          ),
        );
      }

      case "POST /logout": {
        if (session !== undefined && !has("logout-invalidation")) table.delete(session.id);
        setCookies.length = 0;
        setCookies.push(clearingCookie(cookieName, cookieAttributes));
        for (const name of clientState.cookieNames) setCookies.push(clearingCookie(name, SECURE_ATTRIBUTES));
        return send(303, "", { headers: { location: "/" } });
      }

      case "POST /password": {
        if (session?.user == null) return signIn();
        const form = await readForm(req);
        if (!users.change(session.user, form.get("current") ?? "", form.get("next") ?? "")) {
          return send(400, page("Password", "<p>The current password is wrong.</p>"));
        }
        if (!has("credential-change-invalidation")) table.revokeOthers(session.user, session.id);
        return send(200, page("Password", "<p>Password changed. Other sessions were signed out.</p>"));
      }

      default:
        return send(404, page("Not found", "<p>No such page.</p>"));
    }
  }

  return {
    handler(req, res) {
      handle(req, res).catch(() => {
        if (!res.headersSent) reply(res, 500, "Internal Server Error", { type: "text/plain; charset=utf-8" });
        else res.destroy();
      });
    },
    async close() {
      clearInterval(sweeper);
    },
    sessionCookie: cookieName,
  };
}

interface ReplyOptions {
  readonly type?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  /** Leave out `Cache-Control` (the `cache-sensitive` flaw); otherwise `no-store`. */
  readonly cacheable?: boolean;
}

function reply(res: ServerResponse, status: number, body: string, options: ReplyOptions = {}): void {
  res.statusCode = status;
  if (body !== "") res.setHeader("content-type", options.type ?? "text/html; charset=utf-8");
  // Authenticated pages and every response that sets a session must never be stored by a cache.
  if (options.cacheable !== true) res.setHeader("cache-control", "no-store");
  if (options.cookies !== undefined && options.cookies.length > 0) res.setHeader("set-cookie", [...options.cookies]);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.end(body);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
