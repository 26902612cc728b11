import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the test app keeps client-side state (one per behaviour the state
 * checks must tell apart):
 * - `opaque` — a random server-side session id only;
 * - `unsigned` — plus a `profile` cookie, base64 JSON `{user, role}`, trusted as is;
 * - `unsigned-ignored` — the same cookie, but the page shows the server-side user;
 * - `unsigned-role` — the same cookie; the page shows the server-side user but takes the role from the cookie;
 * - `express-weak` / `express-strong` — `profile` in cookie-signature form signed with `keyboard cat` / a random key;
 * - `keygrip-weak` — cookie-session style: `session` base64 JSON plus `session.sig` (HMAC-SHA1 of `session=<value>`, key `shhhhh`);
 * - `jwt-none` — a JWT `token` carries the session (random HS256 key, 1 h exp), also accepted with alg none;
 * - `jwt-strict` — a JWT session verified properly (HS256 only, signature, exp);
 * - `jwt-weak` — a JWT session signed with `your-256-bit-secret` whose exp is never checked;
 * - `jwt-no-exp` — a strict JWT session without an exp claim;
 * - `jwt-long-exp` — a strict JWT session with a 30-day exp.
 */
export type StateVariant =
  | "opaque"
  | "unsigned"
  | "unsigned-ignored"
  | "unsigned-role"
  | "express-weak"
  | "express-strong"
  | "keygrip-weak"
  | "jwt-none"
  | "jwt-strict"
  | "jwt-weak"
  | "jwt-no-exp"
  | "jwt-long-exp";

/** The weak keys the test app uses, for asserting they never appear in outputs. */
export const WEAK_KEYS = { express: "keyboard cat", keygrip: "shhhhh", jwt: "your-256-bit-secret" } as const;

/** A running test app. */
export interface StateApp {
  readonly url: string;
  /** Every cookie value the app has issued (live tokens that must never appear in outputs). */
  readonly issued: readonly string[];
  /** Requests served. */
  readonly requests: () => number;
  close(): Promise<void>;
}

const USERS: Record<string, string> = { alice: "alice-pw", bob: "bob-pw" };

interface Claims {
  user: string;
  role: string;
}

function cookiesOf(req: IncomingMessage): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) map.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return map;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function parseClaims(text: string): Claims | null {
  try {
    const value = JSON.parse(text) as { user?: unknown; sub?: unknown; role?: unknown };
    const user = typeof value.user === "string" ? value.user : value.sub;
    if (typeof user !== "string" || user === "") return null;
    return { user, role: typeof value.role === "string" ? value.role : "user" };
  } catch {
    return null;
  }
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) {
    text += (chunk as Buffer).toString();
    if (text.length > 10_000) break;
  }
  return new URLSearchParams(text);
}

/** Starts the test app on 127.0.0.1 (a free port). */
export async function startStateApp(variant: StateVariant): Promise<StateApp> {
  const sessions = new Map<string, string>();
  const csrf = new Set<string>();
  const issued: string[] = [];
  let served = 0;
  const strongKey = randomBytes(32);
  const expressKey = variant === "express-weak" ? WEAK_KEYS.express : strongKey;
  const jwtKey = variant === "jwt-weak" ? WEAK_KEYS.jwt : strongKey;
  const jwtSession = variant.startsWith("jwt-");

  const setCookie = (res: ServerResponse, name: string, value: string): void => {
    issued.push(value);
    const existing = (res.getHeader("set-cookie") as string[] | undefined) ?? [];
    res.setHeader("set-cookie", [...existing, `${name}=${value}; Path=/; HttpOnly; SameSite=Lax`]);
  };
  const expressSign = (payload: string): string =>
    createHmac("sha256", expressKey).update(payload).digest("base64").replace(/=+$/, "");
  const keygripSign = (data: string): string => createHmac("sha1", WEAK_KEYS.keygrip).update(data).digest("base64url");
  const jwtSign = (claims: Record<string, unknown>): string => {
    const input = `${Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
    return `${input}.${createHmac("sha256", jwtKey).update(input).digest("base64url")}`;
  };

  function issueState(res: ServerResponse, user: string): void {
    const json = JSON.stringify({ user, role: "user" });
    const now = Math.floor(Date.now() / 1000);
    switch (variant) {
      case "unsigned":
      case "unsigned-ignored":
      case "unsigned-role":
        setCookie(res, "profile", encodeURIComponent(Buffer.from(json).toString("base64")));
        break;
      case "express-weak":
      case "express-strong": {
        const payload = Buffer.from(json).toString("base64url");
        setCookie(res, "profile", encodeURIComponent(`s:${payload}.${expressSign(payload)}`));
        break;
      }
      case "keygrip-weak": {
        const value = Buffer.from(json).toString("base64");
        setCookie(res, "session", value);
        setCookie(res, "session.sig", keygripSign(`session=${value}`));
        break;
      }
      case "jwt-none":
      case "jwt-strict":
      case "jwt-weak":
        setCookie(res, "token", jwtSign({ sub: user, role: "user", iat: now, exp: now + 3600 }));
        break;
      case "jwt-no-exp":
        setCookie(res, "token", jwtSign({ sub: user, role: "user", iat: now }));
        break;
      case "jwt-long-exp":
        setCookie(res, "token", jwtSign({ sub: user, role: "user", iat: now, exp: now + 30 * 86_400 }));
        break;
      case "opaque":
        break;
    }
  }

  function readJwt(token: string): Claims | null {
    const [h = "", p = "", s, ...rest] = token.split(".");
    if (s === undefined || rest.length > 0) return null;
    let header: { alg?: unknown };
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg?: unknown };
      claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    } catch {
      return null;
    }
    const alg = typeof header.alg === "string" ? header.alg : "";
    if (alg.toLowerCase() === "none") {
      if (variant !== "jwt-none") return null;
    } else if (alg !== "HS256" || !equal(s, createHmac("sha256", jwtKey).update(`${h}.${p}`).digest("base64url"))) {
      return null;
    }
    if (variant !== "jwt-weak" && "exp" in claims) {
      if (typeof claims["exp"] !== "number" || claims["exp"] * 1000 <= Date.now()) return null;
    }
    return parseClaims(JSON.stringify(claims));
  }

  /** Who the request is, or null (anonymous). */
  function identify(cookies: Map<string, string>): Claims | null {
    if (jwtSession) {
      const token = cookies.get("token");
      return token === undefined ? null : readJwt(token);
    }
    const sid = cookies.get("sid");
    const user = sid === undefined ? undefined : sessions.get(sid);
    if (user === undefined) return null;
    const own: Claims = { user, role: "user" };
    switch (variant) {
      case "unsigned": {
        const raw = cookies.get("profile");
        if (raw === undefined) return own;
        return parseClaims(Buffer.from(decodeURIComponent(raw), "base64").toString());
      }
      case "unsigned-role": {
        const claims = parseClaims(Buffer.from(decodeURIComponent(cookies.get("profile") ?? ""), "base64").toString());
        return claims === null ? null : { user, role: claims.role };
      }
      case "express-weak":
      case "express-strong": {
        const raw = decodeURIComponent(cookies.get("profile") ?? "");
        const dot = raw.lastIndexOf(".");
        if (!raw.startsWith("s:") || dot < 2) return null;
        const payload = raw.slice(2, dot);
        if (!equal(raw.slice(dot + 1), expressSign(payload))) return null;
        return parseClaims(Buffer.from(payload, "base64url").toString());
      }
      case "keygrip-weak": {
        const value = cookies.get("session") ?? "";
        if (!equal(cookies.get("session.sig") ?? "", keygripSign(`session=${value}`))) return null;
        return parseClaims(Buffer.from(value, "base64").toString());
      }
      default:
        return own;
    }
  }

  const server = createServer((req, res) => {
    served++;
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const cookies = cookiesOf(req);
      if (url.pathname === "/login" && req.method === "GET") {
        const token = randomBytes(16).toString("hex");
        csrf.add(token);
        res.setHeader("content-type", "text/html");
        res.end(
          `<form method="post" action="/login"><input type="hidden" name="csrf" value="${token}"><input name="username"><input name="password" type="password"></form>`,
        );
        return;
      }
      if (url.pathname === "/login" && req.method === "POST") {
        const form = await body(req);
        const user = form.get("username") ?? "";
        if (!csrf.delete(form.get("csrf") ?? "") || USERS[user] !== form.get("password")) {
          res.statusCode = 401;
          res.end("Please sign in");
          return;
        }
        if (!jwtSession) {
          const sid = randomBytes(32).toString("base64url");
          sessions.set(sid, user);
          setCookie(res, "sid", sid);
        }
        issueState(res, user);
        res.statusCode = 303;
        res.setHeader("location", "/account");
        res.end();
        return;
      }
      if (url.pathname === "/account") {
        const who = identify(cookies);
        if (who === null) {
          res.statusCode = 401;
          res.end("Please sign in");
          return;
        }
        res.setHeader("content-type", "text/html");
        res.end(`<h1>Account</h1><p>Signed in as ${escapeHtml(who.user)}</p><p>Role: ${escapeHtml(who.role)}</p>`);
        return;
      }
      res.setHeader("content-type", "text/html");
      res.end("<p>Welcome</p>");
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    issued,
    requests: () => served,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The audit config for the test app: form login with CSRF, `/account` as the oracle. */
export function stateAppConfig(app: StateApp, loggedIn = "Signed in as"): Record<string, unknown> {
  return {
    target: app.url,
    login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
    authCheck: { url: "/account", loggedIn, loggedOut: "Please sign in" },
    budget: { maxRequests: 500, rate: 1000, maxDuration: "1m" },
  };
}
