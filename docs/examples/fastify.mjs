// sessionguard on Fastify 5. Run from the repository root:
//   SESSION_KEY=$(node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))") node docs/examples/fastify.mjs
import Fastify from "fastify";
import { SessionManager } from "sessionguard";
import { fastifySessions } from "sessionguard/adapters/fastify";
import { sqliteStore } from "sessionguard/stores/sqlite";

// Demo users only: real code keeps password hashes (scrypt, argon2) and compares them in constant time.
const passwords = new Map([["alice", "alice-pw"]]);

const manager = new SessionManager({
  store: sqliteStore({ path: process.env.SESSION_DB ?? "sessions.db" }),
  keys: [process.env.SESSION_KEY], // [current, ...previous]; a missing or weak key is a startup error
});

const app = Fastify();
// HTML forms without a dependency (or register @fastify/formbody).
app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body)));
});
await app.register(fastifySessions(manager)); // not encapsulated: covers every route of `app`
app.addHook("onClose", () => manager.close());

const signedIn = async (request, reply) => {
  if (!request.session.isAuthenticated) return reply.code(401).send("please sign in");
};

app.get("/", async () => "public page");

app.get("/login", async (request, reply) =>
  reply
    .type("text/html; charset=utf-8")
    .send(
      `<form method="post" action="/login"><input type="hidden" name="csrf" value="${request.session.csrfToken()}">` +
        `<input name="username" autocomplete="username"> <input name="password" type="password"> <button>Sign in</button></form>`,
    ),
);

app.post("/login", async (request, reply) => {
  const { csrf, username = "", password } = request.body ?? {};
  if (!request.session.verifyCsrfToken(csrf)) return reply.code(403).send("the form expired, reload the login page");
  if (!passwords.has(username) || passwords.get(username) !== password) {
    return reply.code(401).send("wrong username or password");
  }
  await request.session.login(username); // new token; the pre-login token stops working at once
  return reply.redirect("/account", 303);
});

app.post("/logout", async (request, reply) => {
  await request.session.logout(); // deleted server-side, cookie expired
  return reply.redirect("/", 303);
});

app.get("/account", { preHandler: signedIn }, async (request) => `signed in as ${request.session.userId}`);

app.get("/account/sessions", { preHandler: signedIn }, async (request) => {
  const list = await manager.listSessions(request.session.userId);
  return list.map((s) => ({ ...s, current: s.id === request.session.id }));
});

app.post("/account/sessions/revoke", { preHandler: signedIn }, async (request, reply) => {
  // Scoped to this user: a session id of somebody else matches nothing.
  const ended = await manager.revokeSession(request.session.userId, String(request.body?.id ?? ""));
  return reply.code(ended ? 200 : 404).send(ended ? "signed out" : "no such session");
});

app.post("/account/password", { preHandler: signedIn }, async (request, reply) => {
  const userId = request.session.userId;
  if (passwords.get(userId) !== request.body?.current) return reply.code(403).send("the current password is wrong");
  passwords.set(userId, String(request.body?.next ?? ""));
  const others = await request.session.credentialsChanged(); // ends every other session, renews this token
  return `password changed; ${others} other session(s) signed out`;
});

const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`listening on ${address}`);
process.on("SIGTERM", () => app.close());
