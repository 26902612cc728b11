import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { expressSessions } from "../src/adapters/express.js";
import { nodeSessions } from "../src/adapters/node.js";
import { type Session, SessionError } from "../src/index.js";
import { setup } from "./helpers/harness.js";

const servers: Array<{ close(cb: () => void): void }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("node:http adapter details", () => {
  it("trustProxy takes the rightmost X-Forwarded-For entries, never the client-written left ones", async () => {
    const seen: Array<string | undefined> = [];
    for (const trustProxy of [false, true, 2] as const) {
      const { manager } = setup();
      const sessions = nodeSessions(manager, { trustProxy });
      const url = await listen(
        sessions.wrap(async (_req, res, session: Session) => {
          await session.login("alice");
          res.end();
        }),
      );
      await fetch(`${url}/`, { method: "POST", headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 203.0.113.9" } });
      seen.push((await manager.listSessions("alice"))[0]?.ip);
    }
    expect(seen[0]).toBe("127.0.0.1");
    expect(seen[1]).toBe("203.0.113.9");
    expect(seen[2]).toBe("198.51.100.7");
  });

  it("reports a save that fails after the headers were sent", async () => {
    const { manager, store } = setup();
    const errors: unknown[] = [];
    const sessions = nodeSessions(manager, { onError: (e) => errors.push(e) });
    store.create = async () => {
      throw new SessionError("ERR_STORE_UNAVAILABLE", "store down");
    };
    const url = await listen(
      sessions.wrap((_req, res, session) => {
        session.set("k", 1);
        res.writeHead(200);
        res.end("streamed");
      }),
    );
    const response = await fetch(url);
    expect(await response.text()).toBe("streamed");
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/after the headers were sent/);
  });
});

describe("Express req.session compatibility", () => {
  it("cookie is readable, assigning to it fails loudly; reload rejects", async () => {
    const { manager } = setup();
    const app = express();
    app.use(expressSessions(manager));
    app.get("/", async (req, res) => {
      const out: Record<string, unknown> = { httpOnly: req.session.cookie.httpOnly };
      try {
        (req.session.cookie as Record<string, unknown>).maxAge = 1000;
      } catch (error) {
        out.assign = (error as SessionError).code;
      }
      out.reload = await req.session.reload().catch((e: SessionError) => e.code);
      // Object.prototype names are ordinary data keys on req.session.
      const data = req.session as unknown as Record<string, unknown>;
      out.unset = data.hasOwnProperty === undefined;
      Reflect.set(data, "toString", "stored");
      out.stored = Reflect.get(data, "toString");
      out.own = Object.hasOwn(data, "toString");
      res.json(out);
    });
    const url = await listen(app);
    expect(await (await fetch(url)).json()).toEqual({
      httpOnly: true,
      assign: "ERR_RESERVED_KEY",
      reload: "ERR_SESSION_STATE",
      unset: true,
      stored: "stored",
      own: true,
    });
  });
});
