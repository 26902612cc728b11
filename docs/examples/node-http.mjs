// sessionguard on node:http. Run from the repository root:
//   SESSION_KEY=$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))") node docs/examples/node-http.mjs
import { createServer } from "node:http";
import { SessionManager } from "sessionguard";
import { nodeSessions } from "sessionguard/adapters/node";
import { sqliteStore } from "sessionguard/stores/sqlite";

// Demo users only: real code keeps password hashes (scrypt, argon2) and compares them in constant time.
const passwords = new Map([["alice", "alice-pw"]]);

const manager = new SessionManager({
  store: sqliteStore({ path: process.env.SESSION_DB ?? "sessions.db" }),
  keys: [process.env.SESSION_KEY], // [current, ...previous]; a missing or weak key is a startup error
});
const sessions = nodeSessions(manager);

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function send(res, status, body, type = "text/plain; charset=utf-8") {
  res.statusCode = status;
  res.setHeader("content-type", type);
  res.end(body);
}

function redirect(res, location) {
  res.statusCode = 303;
  res.setHeader("location", location);
  res.end();
}

const loginPage = (csrf) =>
  `<form method="post" action="/login"><input type="hidden" name="csrf" value="${csrf}">` +
  `<input name="username" autocomplete="username"> <input name="password" type="password"> <button>Sign in</button></form>`;

const server = createServer(
  sessions.wrap(async (req, res, session) => {
    const route = `${req.method} ${new URL(req.url ?? "/", "http://localhost").pathname}`;

    if (route === "GET /") return send(res, 200, "public page");
    if (route === "GET /login") return send(res, 200, loginPage(session.csrfToken()), "text/html; charset=utf-8");
    if (route === "POST /login") {
      const form = await readForm(req);
      if (!session.verifyCsrfToken(form.get("csrf"))) return send(res, 403, "the form expired, reload the login page");
      const username = form.get("username") ?? "";
      if (!passwords.has(username) || passwords.get(username) !== form.get("password")) {
        return send(res, 401, "wrong username or password");
      }
      await session.login(username); // new token; the pre-login token stops working at once
      return redirect(res, "/account");
    }
    if (route === "POST /logout") {
      await session.logout(); // deleted server-side, cookie expired
      return redirect(res, "/");
    }

    const userId = session.userId;
    if (userId === null) return send(res, 401, "please sign in");

    if (route === "GET /account") return send(res, 200, `signed in as ${userId}`);
    if (route === "GET /account/sessions") {
      const list = await manager.listSessions(userId);
      const body = list.map((s) => ({ ...s, current: s.id === session.id }));
      return send(res, 200, JSON.stringify(body), "application/json");
    }
    if (route === "POST /account/sessions/revoke") {
      const form = await readForm(req);
      // Scoped to this user: a session id of somebody else matches nothing.
      const ended = await manager.revokeSession(userId, form.get("id") ?? "");
      return send(res, ended ? 200 : 404, ended ? "signed out" : "no such session");
    }
    if (route === "POST /account/password") {
      const form = await readForm(req);
      if (passwords.get(userId) !== form.get("current")) return send(res, 403, "the current password is wrong");
      passwords.set(userId, form.get("next") ?? "");
      const others = await session.credentialsChanged(); // ends every other session, renews this token
      return send(res, 200, `password changed; ${others} other session(s) signed out`);
    }
    return send(res, 404, "not found");
  }),
);

server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => manager.close()));
