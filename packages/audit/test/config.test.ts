import { describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load.js";
import { AuditError } from "../src/errors.js";

function configError(raw: unknown, target?: string): AuditError {
  try {
    resolveConfig(raw, target);
  } catch (error) {
    if (error instanceof AuditError) return error;
    throw error;
  }
  throw new Error("expected an AuditError");
}

describe("configuration (SPEC §2.2)", () => {
  it("applies the documented defaults", () => {
    const config = resolveConfig({}, "http://127.0.0.1:8080");
    expect(config.policy).toEqual({
      maxIdleMs: 1_800_000,
      maxAbsoluteMs: 43_200_000,
      minEntropyBits: 64,
      maxConcurrentSessions: null,
    });
    expect(config.budget).toEqual({ maxRequests: 30_000, rate: 200, maxDurationMs: 900_000 });
    expect(config.tokenSource).toMatchObject({ url: "/", method: "GET", jar: "fresh" });
  });

  it("the <url> argument wins over target", () => {
    expect(resolveConfig({ target: "http://127.0.0.1:1" }, "http://127.0.0.1:2").target.port).toBe("2");
    expect(resolveConfig({ target: "http://127.0.0.1:1" }, undefined).target.port).toBe("1");
  });

  it("login defaults: POST and csrf auto", () => {
    const config = resolveConfig(
      { login: { url: "/login", form: { username: "a" } }, authCheck: { url: "/me", loggedIn: "Hi" } },
      "http://127.0.0.1",
    );
    expect(config.login).toMatchObject({ method: "POST", csrf: "auto" });
  });

  it("reports every problem with its key path", () => {
    const error = configError({
      login: { url: "/login" },
      policy: { maxIdle: "ages", minEntropyBits: -1 },
      budget: { rate: 0 },
      authCheck: { url: "/me", loggedIn: "(" },
      extra: true,
    });
    expect(error.code).toBe("ERR_CONFIG");
    for (const fragment of [
      "policy.maxIdle",
      "policy.minEntropyBits",
      "budget.rate",
      "authCheck.loggedIn",
      "login",
      "extra",
    ]) {
      expect(error.message).toContain(fragment);
    }
  });

  it("requires authCheck with login, and a target", () => {
    expect(configError({ login: { url: "/l", form: { a: "b" } } }, "http://127.0.0.1").message).toMatch(/authCheck/);
    expect(configError({}).code).toBe("ERR_USAGE");
    expect(configError({}, "ftp://x").message).toMatch(/http/);
    expect(configError({}, "http://u:p@127.0.0.1").message).toMatch(/credentials/);
  });
});
