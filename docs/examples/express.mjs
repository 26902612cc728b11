// sessionguard on Express 5 (the same code runs on Express 4). Run from the repository root:
//   SESSION_KEY=$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))") node docs/examples/express.mjs
import express from "express";
import { SessionManager } from "sessionguard";
import { expressSessions } from "sessionguard/adapters/express";
import { sqliteStore } from "sessionguard/stores/sqlite";

// Demo users only: real code keeps password hashes (scrypt, argon2) and compares them in constant time.
const passwords = new Map([["alice", "alice-pw"]]);

const manager = new SessionManager({
  store: sqliteStore({ path: process.env.SESSION_DB ?? "sessions.db" }),
  keys: [process.env.SESSION_KEY], // [current, ...previous]; a missing or weak key is a startup error
});

const app = express();
app.use(expressSessions(manager)); // first: refuses cross-site POSTs (403) before any route runs
app.use(express.urlencoded({ extended: false }));

// Express 4 does not catch rejected promises; this makes async routes safe on 4 and 5.
const route = (handler) => (req, res, next) => Promise.resolve(handler(req, res)).catch(next);
const signedIn = (req, res, next) =>
  req.session.isAuthenticated ? next() : res.status(401).type("text").send("please sign in");

app.get("/", (_req, res) => res.type("text").send("public page"));

app.get("/login", (req, res) => {
  res
    .type("html")
    .send(
      `<form method="post" action="/login"><input type="hidden" name="csrf" value="${req.session.csrfToken()}">` +
        `<input name="username" autocomplete="username"> <input name="password" type="password"> <button>Sign in</button></form>`,
    );
});

app.post(
  "/login",
  route(async (req, res) => {
    const { csrf, username = "", password } = req.body ?? {};
    if (!req.session.verifyCsrfToken(csrf))
      return res.status(403).type("text").send("the form expired, reload the login page");
    if (!passwords.has(username) || passwords.get(username) !== password) {
      return res.status(401).type("text").send("wrong username or password");
    }
    await req.session.login(username); // new token; the pre-login token stops working at once
    res.redirect(303, "/account");
  }),
);

app.post(
  "/logout",
  route(async (req, res) => {
    await req.session.logout(); // deleted server-side, cookie expired
    res.redirect(303, "/");
  }),
);

app.get("/account", signedIn, (req, res) => res.type("text").send(`signed in as ${req.session.userId}`));

app.get(
  "/account/sessions",
  signedIn,
  route(async (req, res) => {
    const list = await manager.listSessions(req.session.userId);
    res.json(list.map((s) => ({ ...s, current: s.id === req.session.id })));
  }),
);

app.post(
  "/account/sessions/revoke",
  signedIn,
  route(async (req, res) => {
    // Scoped to this user: a session id of somebody else matches nothing.
    const ended = await manager.revokeSession(req.session.userId, String(req.body?.id ?? ""));
    res
      .status(ended ? 200 : 404)
      .type("text")
      .send(ended ? "signed out" : "no such session");
  }),
);

app.post(
  "/account/password",
  signedIn,
  route(async (req, res) => {
    const userId = req.session.userId;
    if (passwords.get(userId) !== req.body?.current)
      return res.status(403).type("text").send("the current password is wrong");
    passwords.set(userId, String(req.body?.next ?? ""));
    const others = await req.session.credentialsChanged(); // ends every other session, renews this token
    res.type("text").send(`password changed; ${others} other session(s) signed out`);
  }),
);

const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => manager.close()));
