import type { Session } from "../core/session.js";

/**
 * The conformance app, written once over the core {@link Session}. Each
 * framework file only maps its request to a {@link RouteInput} and a
 * {@link RouteOutput} back to its response.
 */

/** What a route reads from the request besides the session. */
export interface RouteInput {
  readonly query: URLSearchParams;
  /** The urlencoded body (empty for GET). */
  readonly form: URLSearchParams;
}

/** What the framework sends back. */
export interface RouteOutput {
  readonly status: number;
  readonly type: "text" | "json";
  readonly body: string;
  /** Cookies the application itself sets, which the adapter must keep next to the session cookie. */
  readonly cookies?: readonly string[];
}

/** One route of the conformance app. */
export interface Route {
  readonly method: "GET" | "POST";
  readonly path: string;
  handle(session: Session, input: RouteInput): Promise<RouteOutput>;
}

const text = (body: string, status = 200): RouteOutput => ({ status, type: "text", body });
const json = (value: unknown): RouteOutput => ({ status: 200, type: "json", body: JSON.stringify(value) });

async function me(session: Session): Promise<RouteOutput> {
  return text(session.userId === null ? "anonymous" : `user:${session.userId}`);
}

/** The cookie an application sets on its own, to show adapters keep it. */
export const APP_COOKIE = "theme=dark; Path=/; SameSite=Lax";

/**
 * Every route an adapter's test server must serve: `GET /public`,
 * `GET|POST /me`, `POST /login` (form `user`), `POST /logout`, `POST /set`
 * (form `key`, `value`), `GET /get?key=`, `POST /role`, `GET /csrf`,
 * `POST /csrf-check` (form `token`), `GET /app-cookie`.
 */
export const ROUTES: readonly Route[] = [
  { method: "GET", path: "/public", handle: async () => text("public") },
  { method: "GET", path: "/me", handle: me },
  // POST too, so a token smuggled in a form body can be shown not to authenticate.
  { method: "POST", path: "/me", handle: me },
  {
    method: "POST",
    path: "/login",
    handle: async (session, { form }) => {
      const user = form.get("user");
      if (user === null || user === "") return text("user required", 400);
      await session.login(user);
      return text("logged-in");
    },
  },
  {
    method: "POST",
    path: "/logout",
    handle: async (session) => {
      await session.logout();
      return text("logged-out");
    },
  },
  {
    method: "POST",
    path: "/set",
    handle: async (session, { form }) => {
      const key = form.get("key");
      if (key === null || key === "") return text("key required", 400);
      session.set(key, form.get("value") ?? "");
      return text("ok");
    },
  },
  {
    method: "GET",
    path: "/get",
    handle: async (session, { query }) => json(session.get(query.get("key") ?? "") ?? null),
  },
  {
    method: "POST",
    path: "/role",
    handle: async (session) => {
      await session.regenerate();
      return text("role-changed");
    },
  },
  { method: "GET", path: "/csrf", handle: async (session) => text(session.csrfToken()) },
  {
    method: "POST",
    path: "/csrf-check",
    handle: async (session, { form }) =>
      session.verifyCsrfToken(form.get("token")) ? text("csrf-ok") : text("csrf-bad", 403),
  },
  {
    method: "GET",
    path: "/app-cookie",
    handle: async (session) => {
      session.set("app-cookie", "yes");
      return { ...text("app-cookie"), cookies: [APP_COOKIE] };
    },
  },
];

/**
 * `GET /stream`: the body leaves in two chunks, so the headers (and the
 * session cookie) go out before the handler has finished. Node and Express only.
 */
export const STREAM_ROUTE = {
  path: "/stream",
  /** Runs before the first chunk is written. */
  start(session: Session): void {
    session.set("streamed", "yes");
  },
  chunks: ["part-1;", "part-2"] as const,
};
