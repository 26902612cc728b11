import { describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load.js";
import { AuditError, exitCodeOf } from "../src/errors.js";

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

describe("configuration values that used to slip through", () => {
  it("a config file holding null, an array or a number is an error, not an empty config", () => {
    for (const raw of [null, [], 42, "x"]) {
      const error = configError(raw, "http://127.0.0.1");
      expect(error.code).toBe("ERR_CONFIG");
      expect(error.message).toContain("(top level)");
    }
  });

  it("durations beyond a year and a day are refused, naming the key", () => {
    for (const maxIdle of ["99999999999999999999999d", "367d", "0s"]) {
      const error = configError({ policy: { maxIdle } }, "http://127.0.0.1");
      expect(error.message).toMatch(/policy\.maxIdle: .*at most 366d/);
    }
    expect(resolveConfig({ policy: { maxIdle: "30d" } }, "http://127.0.0.1").policy.maxIdleMs).toBe(30 * 86_400_000);
  });
});

describe("exit codes of errors (SPEC §2.1)", () => {
  it("2 for what the user must change, 3 for a target that could not be audited", () => {
    for (const code of ["ERR_USAGE", "ERR_CONFIG", "ERR_INPUT"] as const)
      expect(exitCodeOf(new AuditError(code, "x"))).toBe(2);
    for (const code of ["ERR_TARGET_UNREACHABLE", "ERR_LOGIN_FAILED", "ERR_BUDGET", "ERR_OUT_OF_SCOPE"] as const)
      expect(exitCodeOf(new AuditError(code, "x"))).toBe(3);
    expect(exitCodeOf(new Error("library configuration error"))).toBe(2);
  });
});
