import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SessionError } from "../core/errors.js";
import { generateKey } from "../core/generate-key.js";
import { SessionManager } from "../core/manager.js";
import type { SessionStore } from "../core/store.js";
import { generateToken } from "../core/token.js";
import { memoryStore } from "../stores/memory.js";
import { APP_COOKIE, STREAM_ROUTE } from "./adapter-routes.js";
import { Browser, isClearing, type Reply, SID } from "./lib/browser.js";

/** A running server for one framework, serving the routes of `routes.ts`. */
export interface AdapterServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a real server on 127.0.0.1, port 0, with the framework's adapter around `manager`. */
export type StartServer = (manager: SessionManager) => Promise<AdapterServer>;

/** What the framework's server implements beyond the common routes. */
export interface AdapterFeatures {
  /** `GET /stream` (headers leave before the handler ends). */
  readonly stream?: boolean;
}

type StoreMode = "up" | "down" | "writes-down";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const STACK_TRACE = /\n\s+at |SessionError|store down|\.ts:\d|node_modules/;

/**
 * The store the suite controls: `down` fails every call, `writes-down` only
 * writes, both with the error a real driver's outage becomes.
 */
function flakyStore(inner: SessionStore, mode: () => StoreMode): SessionStore {
  const guard = <A extends unknown[], R>(write: boolean, call: (...args: A) => Promise<R>) => {
    return async (...args: A): Promise<R> => {
      const m = mode();
      if (m === "down" || (m === "writes-down" && write)) {
        throw new SessionError("ERR_STORE_UNAVAILABLE", "store down");
      }
      return call(...args);
    };
  };
  return {
    get: guard(false, (id) => inner.get(id)),
    create: guard(true, (record, limit) => inner.create(record, limit)),
    update: guard(true, (record, version) => inner.update(record, version)),
    delete: guard(true, (id) => inner.delete(id)),
    listByUser: guard(false, (userId) => inner.listByUser(userId)),
    deleteByUser: guard(true, (userId, exceptId) => inner.deleteByUser(userId, exceptId)),
    close: async () => inner.close?.(),
  };
}

/**
 * Registers the vitest suite every framework adapter must pass: the
 * session-management behaviour an attacker or a user observes from outside,
 * over real HTTP (cookie attributes, no id adoption, rotation on login and
 * privilege change, server-side logout, timeouts, cross-site refusal, no lost
 * updates, fail-closed 503 when the store is down, CSRF tokens).
 *
 * One server per adapter, started once; every test uses fresh clients, and
 * time only moves when a test advances the injected clock.
 */
export function describeAdapterConformance(
  name: string,
  startServer: StartServer,
  features: AdapterFeatures = {},
): void {
  describe(`adapter conformance: ${name}`, () => {
    let now = T0;
    let storeMode: StoreMode = "up";
    let manager: SessionManager | undefined;
    let server: AdapterServer | undefined;

    const browser = (): Browser => new Browser((server as AdapterServer).url);
    const cookie = (token: string): { cookie: string } => ({ cookie: `${SID}=${token}` });

    beforeAll(async () => {
      const clock = (): number => now;
      const store = flakyStore(memoryStore({ clock, sweepInterval: 0 }), () => storeMode);
      manager = new SessionManager({ store, keys: [generateKey()], clock });
      server = await startServer(manager);
    });

    afterEach(() => {
      storeMode = "up";
    });

    afterAll(async () => {
      await server?.close();
      await manager?.close();
    });

    /** A browser holding an anonymous stored session; returns its token. */
    async function withSession(b: Browser): Promise<string> {
      const r = await b.post("/set", { key: "seed", value: "1" });
      expect(r.status).toBe(200);
      expect(r.sid?.value).toMatch(TOKEN);
      return r.sid?.value as string;
    }

    async function signIn(b: Browser): Promise<string> {
      const r = await b.post("/login", { user: "alice" });
      expect(r.status).toBe(200);
      expect(r.sid?.value).toMatch(TOKEN);
      return r.sid?.value as string;
    }

    function expectNoLeak(r: Reply): void {
      expect(r.body).not.toMatch(STACK_TRACE);
    }

    it("(a) GET /public and a first GET /me set no cookie", async () => {
      const b = browser();
      const pub = await b.get("/public");
      expect(pub.status).toBe(200);
      expect(pub.body).toBe("public");
      expect(pub.headers.get("set-cookie")).toBeNull();
      const me = await b.get("/me");
      expect(me.status).toBe(200);
      expect(me.body).toBe("anonymous");
      expect(me.headers.get("set-cookie")).toBeNull();
      await withSession(b);
      const again = await b.get("/public");
      expect(again.headers.get("set-cookie")).toBeNull();
    });

    it("(b) the first write sets a secure host-only browser-session cookie and the value reads back", async () => {
      const b = browser();
      const r = await b.post("/set", { key: "color", value: "blue" });
      expect(r.status).toBe(200);
      expect(r.cookies).toHaveLength(1);
      const sid = r.sid;
      expect(sid?.name).toBe("__Host-sid");
      expect(sid?.value).toMatch(TOKEN);
      const attrs = sid?.attributes ?? new Map<string, string>();
      expect(attrs.has("secure")).toBe(true);
      expect(attrs.has("httponly")).toBe(true);
      expect(attrs.get("samesite")?.toLowerCase()).toBe("lax");
      expect(attrs.get("path")).toBe("/");
      expect(attrs.has("domain")).toBe(false);
      expect(attrs.has("max-age")).toBe(false);
      expect(attrs.has("expires")).toBe(false);
      expect(r.headers.get("cache-control")).toMatch(/^no-store/);

      const read = await b.get("/get?key=color");
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toBe("blue");
      // An established session keeps its token: no new cookie on later writes.
      const second = await b.post("/set", { key: "size", value: "L" });
      expect(second.sid).toBeUndefined();
      expect(JSON.parse((await b.get("/get?key=size")).body)).toBe("L");
    });

    for (const [label, planted] of [
      ["a well-formed random id", generateToken()],
      ["a short attacker-chosen id", "attacker"],
    ] as const) {
      it(`(c) ${label} the server never issued is not adopted`, async () => {
        const b = browser();
        const me = await b.get("/me", cookie(planted));
        expect(me.status).toBe(200);
        expect(me.body).toBe("anonymous");
        expect(me.sid).toBeDefined();
        expect(isClearing(me.sid as NonNullable<Reply["sid"]>)).toBe(true);

        // The attacker's cookie is still in the victim's browser when the app first writes.
        const set = await b.post("/set", { key: "k", value: "v" }, cookie(planted));
        expect(set.status).toBe(200);
        expect(set.sid?.value).toMatch(TOKEN);
        expect(set.sid?.value).not.toBe(planted);
        expect(JSON.parse((await b.get("/get?key=k", cookie(set.sid?.value as string))).body)).toBe("v");
        expect(JSON.parse((await b.get("/get?key=k", cookie(planted))).body)).toBeNull();
      });
    }

    it("(d) login issues a new token and the pre-login token is dead", async () => {
      const b = browser();
      const before = await withSession(b);
      const after = await signIn(b);
      expect(after).not.toBe(before);
      expect((await b.get("/me", cookie(before))).body).toBe("anonymous");
      expect((await b.get("/me")).body).toBe("user:alice");
      // Login without any earlier session works the same way.
      const fresh = browser();
      await signIn(fresh);
      expect((await fresh.get("/me")).body).toBe("user:alice");
    });

    it("(e) logout invalidates the token server-side and expires the cookie", async () => {
      const b = browser();
      const token = await signIn(b);
      const out = await b.post("/logout");
      expect(out.status).toBe(200);
      expect(out.sid).toBeDefined();
      expect(isClearing(out.sid as NonNullable<Reply["sid"]>)).toBe(true);
      // A client that ignores the clearing cookie keeps sending the old token.
      const replay = await b.get("/me", cookie(token));
      expect(replay.status).toBe(200);
      expect(replay.body).toBe("anonymous");
    });

    it("(f) a privilege change issues a new token, keeps the data and kills the old token", async () => {
      const b = browser();
      const before = await signIn(b);
      await b.post("/set", { key: "cart", value: "3 items" });
      const role = await b.post("/role");
      expect(role.status).toBe(200);
      expect(role.sid?.value).toMatch(TOKEN);
      expect(role.sid?.value).not.toBe(before);
      expect((await b.get("/me", cookie(before))).body).toBe("anonymous");
      expect((await b.get("/me")).body).toBe("user:alice");
      expect(JSON.parse((await b.get("/get?key=cart")).body)).toBe("3 items");
    });

    it("(g) the token is read from the cookie only, never from the URL or the body", async () => {
      const token = await signIn(browser());
      const stranger = browser();
      // sessionguard-ignore id-in-url : the suite puts a token in URLs on purpose, to prove the adapter ignores it
      for (const path of [`/me?sid=${token}`, `/me?${SID}=${token}`, `/me?session=${token}`]) {
        const r = await stranger.get(path);
        expect(r.status).toBe(200);
        expect(r.body).toBe("anonymous");
        expect(r.sid).toBeUndefined();
      }
      const viaBody = await stranger.post("/me", { [SID]: token, sid: token });
      expect(viaBody.status).toBe(200);
      expect(viaBody.body).toBe("anonymous");
    });

    it("(h) tampered, truncated, random, huge and odd cookie values are anonymous, never 500", async () => {
      const token = await signIn(browser());
      const flip = (c: string | undefined): string => (c === "A" ? "B" : "A");
      const values = [
        token.slice(0, -1) + flip(token.at(-1)),
        flip(token[0]) + token.slice(1),
        token.slice(0, 42),
        token.slice(0, 10),
        `${token}A`,
        `${token}${token}`,
        generateToken(),
        "A".repeat(8192),
        encodeURIComponent("sessión-☃-𝄞"),
        "%E0%A4%A",
        "%00%00",
        "\u00e9t\u00e9",
        "../../etc/passwd",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "null",
        "=",
      ];
      for (const value of values) {
        const r = await browser().get("/me", cookie(value));
        expect(r.status, `cookie value ${JSON.stringify(value.slice(0, 40))}`).toBe(200);
        expect(r.body).toBe("anonymous");
      }
    });

    it("(i) cross-site unsafe requests are refused with 403; same-origin and non-browser clients pass", async () => {
      const b = browser();
      await withSession(b);
      const origin = new URL((server as AdapterServer).url).origin;

      const crossSite = await b.post(
        "/set",
        { key: "seed", value: "evil" },
        { headers: { "sec-fetch-site": "cross-site" } },
      );
      expect(crossSite.status).toBe(403);
      expect(crossSite.headers.get("set-cookie")).toBeNull();
      expectNoLeak(crossSite);
      const evilOrigin = await b.post(
        "/set",
        { key: "seed", value: "evil" },
        { headers: { origin: "http://evil.example" } },
      );
      expect(evilOrigin.status).toBe(403);
      expect(JSON.parse((await b.get("/get?key=seed")).body)).toBe("1");

      const sameOrigin = await b.post("/set", { key: "a", value: "1" }, { headers: { origin } });
      expect(sameOrigin.status).toBe(200);
      const sameSite = await b.post("/set", { key: "b", value: "1" }, { headers: { "sec-fetch-site": "same-origin" } });
      expect(sameSite.status).toBe(200);
      const nonBrowser = await b.post("/set", { key: "c", value: "1" });
      expect(nonBrowser.status).toBe(200);

      // A refused request must not mint a session either.
      const fresh = await browser().post("/login", { user: "alice" }, { headers: { "sec-fetch-site": "cross-site" } });
      expect(fresh.status).toBe(403);
      expect(fresh.headers.get("set-cookie")).toBeNull();
    });

    it("(j) 100 parallel writes to one session lose no update", async () => {
      const b = browser();
      await withSession(b);
      const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
      const writes = await Promise.all(keys.map((key) => b.post("/set", { key, value: `v-${key}` })));
      for (const w of writes) {
        expect(w.status).toBe(200);
        expect(w.sid).toBeUndefined();
      }
      const reads = await Promise.all(keys.map((key) => b.get(`/get?key=${key}`)));
      expect(reads.map((r) => JSON.parse(r.body))).toEqual(keys.map((key) => `v-${key}`));
    });

    it("(k) an unavailable store answers 503 without details and recovers without a restart", async () => {
      const b = browser();
      const token = await withSession(b);

      storeMode = "down";
      for (const r of [await b.get("/me"), await b.post("/set", { key: "x", value: "1" })]) {
        expect(r.status).toBe(503);
        expect(r.headers.get("set-cookie")).toBeNull();
        expectNoLeak(r);
      }
      // Reads work but the commit fails: the handler already ran, the adapter must still answer 503.
      storeMode = "writes-down";
      const failedWrite = await b.post("/set", { key: "lost", value: "1" });
      expect(failedWrite.status).toBe(503);
      expect(failedWrite.headers.get("set-cookie")).toBeNull();
      expectNoLeak(failedWrite);
      const failedCreate = await browser().post("/set", { key: "x", value: "1" });
      expect(failedCreate.status).toBe(503);
      expect(failedCreate.headers.get("set-cookie")).toBeNull();
      expectNoLeak(failedCreate);
      // The 503 replaces the whole response: a cookie the app set for a request that failed must not leak out.
      const appCookie = await browser().get("/app-cookie");
      expect(appCookie.status).toBe(503);
      expect(appCookie.headers.get("set-cookie")).toBeNull();

      storeMode = "up";
      expect(b.sid).toBe(token);
      expect(JSON.parse((await b.get("/get?key=seed")).body)).toBe("1");
      expect(JSON.parse((await b.get("/get?key=lost")).body)).toBeNull();
      expect((await b.post("/set", { key: "after", value: "2" })).status).toBe(200);
      expect(JSON.parse((await b.get("/get?key=after")).body)).toBe("2");
    });

    it("(l) the idle timeout ends an unused session", async () => {
      const b = browser();
      await signIn(b);
      now += 29 * MINUTE;
      expect((await b.get("/me")).body).toBe("user:alice");
      now += 29 * MINUTE;
      expect((await b.get("/me")).body).toBe("user:alice");
      now += 30 * MINUTE + 1;
      const idle = await b.get("/me");
      expect(idle.status).toBe(200);
      expect(idle.body).toBe("anonymous");
      expect(isClearing(idle.sid as NonNullable<Reply["sid"]>)).toBe(true);
    });

    it("(l) the absolute timeout ends a session however active it is", async () => {
      const b = browser();
      const token = await signIn(b);
      const start = now;
      while (now - start < 12 * HOUR) {
        now += 20 * MINUTE;
        const r = await b.get("/me", cookie(token));
        expect(r.body, `after ${(now - start) / MINUTE} min`).toBe(
          now - start < 12 * HOUR ? "user:alice" : "anonymous",
        );
      }
    });

    it("(m) the CSRF synchronizer token verifies, rejects a wrong one and is renewed at login", async () => {
      const b = browser();
      const issued = await b.get("/csrf");
      expect(issued.status).toBe(200);
      const first = issued.body;
      expect(first).toMatch(TOKEN);
      expect((await b.post("/csrf-check", { token: first })).status).toBe(200);
      expect((await b.post("/csrf-check", { token: "wrong" })).status).toBe(403);
      expect((await b.post("/csrf-check", { token: generateToken() })).status).toBe(403);
      expect((await b.post("/csrf-check")).status).toBe(403);

      await signIn(b);
      expect((await b.post("/csrf-check", { token: first })).status).toBe(403);
      const second = (await b.get("/csrf")).body;
      expect(second).toMatch(TOKEN);
      expect(second).not.toBe(first);
      expect((await b.post("/csrf-check", { token: second })).status).toBe(200);
    });

    it("keeps the cookies the application sets next to the session cookie", async () => {
      const b = browser();
      const r = await b.get("/app-cookie");
      expect(r.status).toBe(200);
      expect(r.cookies.filter((c) => c.raw === APP_COOKIE)).toHaveLength(1);
      expect(r.cookies).toHaveLength(2);
      expect(r.sid?.value).toMatch(TOKEN);
      expect(JSON.parse((await b.get("/get?key=app-cookie")).body)).toBe("yes");
    });

    it.runIf(features.stream === true)(
      "(n) a streamed response still sets the cookie and persists the value",
      async () => {
        const b = browser();
        const r = await b.get(STREAM_ROUTE.path);
        expect(r.status).toBe(200);
        expect(r.body).toBe(STREAM_ROUTE.chunks.join(""));
        expect(r.sid?.value).toMatch(TOKEN);
        expect(JSON.parse((await b.get("/get?key=streamed")).body)).toBe("yes");
      },
    );
  });
}
