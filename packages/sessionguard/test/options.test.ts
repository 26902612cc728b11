import { afterEach, describe, expect, it } from "vitest";
import { generateKey, isSessionError, SessionManager, type SessionManagerOptions } from "../src/index.js";
import { memoryStore } from "../src/stores/memory.js";

const base = (): SessionManagerOptions => ({ store: memoryStore({ sweepInterval: 0 }), keys: [generateKey()] });

function errorOf(options: SessionManagerOptions): { code: string; message: string } {
  try {
    new SessionManager(options);
  } catch (error) {
    if (isSessionError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a SessionError");
}

describe("cookie defaults (L4)", () => {
  const originalEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = originalEnv;
  });

  it("uses __Host-sid, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain", async () => {
    const manager = new SessionManager(base());
    expect(manager.cookieName).toBe("__Host-sid");
    const session = await manager.load({ cookieHeader: undefined });
    session.set("k", 1);
    const { setCookie } = await manager.commit(session);
    expect(setCookie).toHaveLength(1);
    const cookie = setCookie[0] as string;
    expect(cookie).toMatch(/^__Host-sid=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toMatch(/Domain=|Max-Age|Expires/i);
  });

  it("plain-HTTP development needs an explicit option", async () => {
    process.env.NODE_ENV = "development";
    const manager = new SessionManager({ ...base(), insecureDevelopmentCookie: true });
    expect(manager.cookieName).toBe("sid");
    const session = await manager.load({ cookieHeader: undefined });
    session.set("k", 1);
    const cookie = (await manager.commit(session)).setCookie[0] as string;
    expect(cookie).not.toContain("Secure");
    expect(cookie).toContain("HttpOnly");
  });

  it("refuses the plain-HTTP option in production", () => {
    process.env.NODE_ENV = "production";
    const error = errorOf({ ...base(), insecureDevelopmentCookie: true });
    expect(error.code).toBe("ERR_INSECURE_COOKIE");
    expect(error.message).toMatch(/HTTPS/);
  });

  it("refuses a Domain or a narrower Path on a __Host- cookie", () => {
    expect(errorOf({ ...base(), cookie: { domain: "example.com" } }).message).toMatch(/domain/);
    expect(errorOf({ ...base(), cookie: { path: "/app" } }).message).toMatch(/path/);
  });
});

describe("options are validated at construction (L15)", () => {
  const cases: Array<[string, Partial<SessionManagerOptions>, RegExp]> = [
    ["idle above absolute", { idleTimeout: "13h", absoluteTimeout: "12h" }, /idleTimeout must not be longer/],
    ["a bad duration", { idleTimeout: "soon" }, /idleTimeout must be a positive duration/],
    ["a negative duration", { absoluteTimeout: -5 }, /absoluteTimeout/],
    ["a bad session limit", { maxSessionsPerUser: 0 }, /maxSessionsPerUser/],
    ["a policy without a limit", { sessionLimitPolicy: "reject" }, /needs maxSessionsPerUser/],
    ["a long rotation grace", { rotation: { interval: "15m", grace: "1h" } }, /grace/],
    ["an invalid trusted origin", { csrf: { trustedOrigins: ["example.com"] } }, /trustedOrigins/],
    ["a bad cookie name", { cookie: { name: "a b" } }, /cookie.name/],
  ];
  for (const [label, patch, message] of cases) {
    it(`refuses ${label}`, () => {
      const error = errorOf({ ...base(), ...patch } as SessionManagerOptions);
      expect(error.code).toBe("ERR_CONFIG");
      expect(error.message).toMatch(message);
    });
  }

  it("says so when a key's environment variable is unset", () => {
    const error = errorOf({ ...base(), keys: [process.env.SESSIONGUARD_TEST_UNSET_KEY] });
    expect(error.code).toBe("ERR_WEAK_KEY");
    expect(error.message).toMatch(/keys\[0\] is missing .*environment variable/);
  });

  it("refuses a missing store with a hint", () => {
    const error = errorOf({ keys: [generateKey()] } as unknown as SessionManagerOptions);
    expect(error.message).toMatch(/sqliteStore/);
  });
});
