/**
 * Records that cannot be decoded (issue 13, defect 1) and cookies a browser
 * never sends (defect 8): each is an anonymous request, never a stack trace
 * and never an outage that outlives the request.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { generateToken, hashToken } from "../src/core/token.js";
import { generateKey, type SessionEvent, SessionManager, type SessionRecord } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { Browser, setup } from "./helpers/harness.js";
import { type SessionApp, startSessionApp, Visitor } from "./servers/session-app.js";

const STACK = /\bat [\w.<>]+ \(|TypeError|SyntaxError|\.ts:\d+|node:internal/;

describe("a record the store cannot decode is treated like a tampered one (core, memory store)", () => {
  const garbage: ReadonlyArray<readonly [string, (r: SessionRecord) => unknown]> = [
    // The memory store keeps a structured clone: a Buffer arrives as a plain Uint8Array.
    ["data holding the envelope's bytes", (r) => ({ ...r, data: Buffer.from(r.data) })],
    ["data holding other bytes", (r) => ({ ...r, data: new Uint8Array([0, 255, 1]) })],
    ["data holding a number", (r) => ({ ...r, data: 42 })],
    ["meta holding a string", (r) => ({ ...r, meta: "{not json" })],
    ["meta null", (r) => ({ ...r, meta: null })],
    ["createdAt as text", (r) => ({ ...r, createdAt: "yesterday" })],
    ["version as text", (r) => ({ ...r, version: String(r.version) })],
    ["userId as a number", (r) => ({ ...r, userId: 7 })],
    ["expiresAt not finite", (r) => ({ ...r, expiresAt: Number.POSITIVE_INFINITY })],
  ];
  for (const [what, change] of garbage) {
    it(`${what}: rejected event, record deleted, anonymous request, no exception`, async () => {
      const { manager, store } = setup();
      const events: SessionEvent[] = [];
      manager.on("*", (event) => events.push(event));
      const b = new Browser(manager);
      await b.request(async (s) => {
        await s.login("alice");
        s.set("role", "user");
      });
      const id = await hashToken(b.token as string);
      const stored = await store.get(id);
      if (stored === null) throw new Error("not stored");
      await store.delete(id);
      await store.create(change(stored) as SessionRecord);
      expect(await b.request((s) => s.userId)).toBeNull();
      expect(b.token).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: "rejected", reason: "undecryptable" });
      expect(await store.get(id)).toBeNull();
      // The next request is an ordinary anonymous one.
      expect(await b.request((s) => s.userId)).toBeNull();
    });
  }

  it("a store that returns a record claiming another id is not believed, and the other session survives", async () => {
    const inner = memoryStore({ sweepInterval: 0 });
    const key = generateKey();
    const victimManager = new SessionManager({ store: inner, keys: [key] });
    const victim = new Browser(victimManager);
    await victim.request((s) => s.login("alice"));
    const victimId = await hashToken(victim.token as string);
    const victimRecord = await inner.get(victimId);
    // A backend whose value under one key is a copy of another key's record (a Redis value copied by a writer).
    const chosen = generateToken();
    const chosenId = await hashToken(chosen);
    const manager = new SessionManager({
      store: { ...inner, get: async (id) => (id === chosenId ? victimRecord : inner.get(id)) },
      keys: [key],
    });
    expect(await new Browser(manager).withToken(chosen).request((s) => s.userId)).toBeNull();
    expect(await victim.request((s) => s.userId)).toBe("alice");
    expect(await new Browser(manager).withToken(victim.token).request((s) => s.userId)).toBe("alice");
  });
});

describe("undecodable SQLite rows over HTTP (node:http adapter)", () => {
  let app: SessionApp | undefined;
  let db: Database.Database | undefined;
  afterEach(async () => {
    await app?.close();
    db?.close();
    app = undefined;
    db = undefined;
  });

  const columns: ReadonlyArray<readonly [string, string]> = [
    ["data holding its own bytes as a blob", "UPDATE sessions SET data = CAST(data AS BLOB) WHERE id = ?"],
    ["data holding a blob", "UPDATE sessions SET data = x'00ff10' WHERE id = ?"],
    ["meta that is not JSON", "UPDATE sessions SET meta = '{not json' WHERE id = ?"],
    ["meta holding a blob", "UPDATE sessions SET meta = x'7b7d00' WHERE id = ?"],
    ["created_at as text", "UPDATE sessions SET created_at = 'yesterday' WHERE id = ?"],
    ["user_id rewritten", "UPDATE sessions SET user_id = 'admin' WHERE id = ?"],
    ["expires_at extended", "UPDATE sessions SET expires_at = expires_at + 86400000 WHERE id = ?"],
  ];
  for (const [what, statement] of columns) {
    it(`${what}: an anonymous 401 without a stack trace, the row deleted, the next requests served`, async () => {
      db = new Database(":memory:");
      app = await startSessionApp(sqliteStore({ database: db, table: "sessions", sweepInterval: 0 }));
      const visitor = new Visitor(app.url, app.manager.cookieName);
      const events: SessionEvent[] = [];
      app.manager.on("rejected", (event) => events.push(event));
      expect((await visitor.send("POST", "/login?user=alice")).status).toBe(200);
      // Data makes the envelope non-empty: a BLOB of it once reached fromBase64Url and threw a TypeError.
      expect((await visitor.send("POST", "/note?text=hello")).status).toBe(200);
      const token = visitor.cookie as string;
      const id = await hashToken(token);
      expect(db.prepare(statement).run(id).changes).toBe(1);
      const answer = await visitor.send("GET", "/me");
      expect(answer.status).toBe(401);
      expect(answer.body).toBe("anonymous");
      expect(answer.body).not.toMatch(STACK);
      expect(events).toMatchObject([{ type: "rejected", reason: "undecryptable" }]);
      expect(db.prepare("SELECT count(*) AS n FROM sessions WHERE id = ?").get(id)).toStrictEqual({ n: 0 });
      // Not a permanent outage: the same token again is merely unknown, and a new login works.
      const replay = new Visitor(app.url, app.manager.cookieName);
      replay.cookie = token;
      expect((await replay.send("GET", "/me")).status).toBe(401);
      expect((await visitor.send("POST", "/login?user=alice")).status).toBe(200);
      expect((await visitor.send("GET", "/me")).body).toBe("user:alice");
    });
  }

  it("a user's listing skips an undecodable row instead of failing", async () => {
    db = new Database(":memory:");
    app = await startSessionApp(sqliteStore({ database: db, table: "sessions", sweepInterval: 0 }));
    const a = new Visitor(app.url, app.manager.cookieName);
    const b = new Visitor(app.url, app.manager.cookieName);
    await a.send("POST", "/login?user=alice");
    await b.send("POST", "/login?user=alice");
    db.prepare("UPDATE sessions SET meta = '{not json' WHERE id = ?").run(await hashToken(a.cookie as string));
    expect(await app.manager.listSessions("alice")).toHaveLength(1);
  });
});

describe("the session cookie is read exactly as the library set it (defect 8)", () => {
  it("a percent-encoded token is refused (malformed), even when it decodes to the real token", async () => {
    const { manager } = setup();
    const events: SessionEvent[] = [];
    manager.on("rejected", (event) => events.push(event));
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const token = b.token as string;
    const encoded = [...token].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join("");
    const first = `%${token.charCodeAt(0).toString(16).toUpperCase()}${token.slice(1)}`;
    for (const value of [encoded, first, `"${token}"`]) {
      const session = await manager.load({ cookieHeader: `__Host-sid=${value}` });
      expect(session.userId).toBeNull();
      expect((await manager.commit(session)).setCookie[0]).toMatch(/Max-Age=0/);
    }
    expect(events.map((e) => e.reason)).toStrictEqual(["malformed", "malformed", "malformed"]);
    // The exact token still works: the refusal is about the encoding, not the session.
    expect((await manager.load({ cookieHeader: `__Host-sid=${token}` })).userId).toBe("alice");
  });

  it("a cookie name with whitespace before '=' is another cookie, not the session cookie", async () => {
    const { manager } = setup();
    const b = new Browser(manager);
    await b.request((s) => s.login("alice"));
    const token = b.token as string;
    for (const header of [`__Host-sid =${token}`, `__Host-sid\t=${token}`, `__host-sid=${token}`]) {
      expect((await manager.load({ cookieHeader: header })).userId).toBeNull();
    }
    for (const header of [
      `__Host-sid=${token}`,
      `a=b; __Host-sid=${token}`,
      `a=b;__Host-sid=${token}`,
      `  __Host-sid=${token}  `,
      `__Host-sid=${token}; __Host-sid=other`,
    ]) {
      expect((await manager.load({ cookieHeader: header })).userId, header).toBe("alice");
    }
  });
});
