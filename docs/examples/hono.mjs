// sessionguard on Hono, served by @hono/node-server. Run from the repository root:
//   SESSION_KEY=$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))") node docs/examples/hono.mjs
// The Hono app itself uses only Web-standard Request/Response: see "Bun, Deno and workers" in docs/library.md.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { SessionManager } from "sessionguard";
import { honoSessions } from "sessionguard/adapters/hono";
import { sqliteStore } from "sessionguard/stores/sqlite";

// Demo users only: real code keeps password hashes (scrypt, argon2) and compares them in constant time.
const passwords = new Map([["alice", "alice-pw"]]);

const manager = new SessionManager({
  store: sqliteStore({ path: process.env.SESSION_DB ?? "sessions.db" }),
  keys: [process.env.SESSION_KEY], // [current, ...previous]; a missing or weak key is a startup error
});

const app = new Hono(); // TypeScript: new Hono<{ Variables: SessionVariables }>()
app.use(honoSessions(manager)); // first: refuses cross-site POSTs (403) before any route runs

const signedIn = async (c, next) => {
  if (!c.get("session").isAuthenticated) return c.text("please sign in", 401);
  await next();
};

app.get("/", (c) => c.text("public page"));

app.get("/login", (c) =>
  c.html(
    `<form method="post" action="/login"><input type="hidden" name="csrf" value="${c.get("session").csrfToken()}">` +
      `<input name="username" autocomplete="username"> <input name="password" type="password"> <button>Sign in</button></form>`,
  ),
);

app.post("/login", async (c) => {
  const session = c.get("session");
  const { csrf, username = "", password } = await c.req.parseBody();
  if (!session.verifyCsrfToken(csrf)) return c.text("the form expired, reload the login page", 403);
  if (!passwords.has(username) || passwords.get(username) !== password) {
    return c.text("wrong username or password", 401);
  }
  await session.login(username); // new token; the pre-login token stops working at once
  return c.redirect("/account", 303);
});

app.post("/logout", async (c) => {
  await c.get("session").logout(); // deleted server-side, cookie expired
  return c.redirect("/", 303);
});

app.get("/account", signedIn, (c) => c.text(`signed in as ${c.get("session").userId}`));

app.get("/account/sessions", signedIn, async (c) => {
  const session = c.get("session");
  const list = await manager.listSessions(session.userId);
  return c.json(list.map((s) => ({ ...s, current: s.id === session.id })));
});

app.post("/account/sessions/revoke", signedIn, async (c) => {
  const { id = "" } = await c.req.parseBody();
  // Scoped to this user: a session id of somebody else matches nothing.
  const ended = await manager.revokeSession(c.get("session").userId, String(id));
  return ended ? c.text("signed out") : c.text("no such session", 404);
});

app.post("/account/password", signedIn, async (c) => {
  const session = c.get("session");
  const { current, next = "" } = await c.req.parseBody();
  if (passwords.get(session.userId) !== current) return c.text("the current password is wrong", 403);
  passwords.set(session.userId, String(next));
  const others = await session.credentialsChanged(); // ends every other session, renews this token
  return c.text(`password changed; ${others} other session(s) signed out`);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1" }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => manager.close()));
