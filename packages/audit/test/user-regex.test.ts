import { describe, expect, it } from "vitest";
import { resolveConfig } from "../src/config/load.js";
import { UserRegex } from "../src/config/user-regex.js";
import { Authenticator } from "../src/engine/auth.js";
import { AuditError } from "../src/errors.js";
import { Budget } from "../src/http/budget.js";
import { HttpClient, type HttpResponse } from "../src/http/client.js";

function configError(authCheck: Record<string, string>): AuditError {
  try {
    resolveConfig(
      { login: { url: "/login", form: { u: "a" } }, authCheck: { url: "/me", ...authCheck } },
      "http://127.0.0.1",
    );
  } catch (error) {
    if (error instanceof AuditError) return error;
    throw error;
  }
  throw new Error("expected an AuditError");
}

function response(status: number, body: string): HttpResponse {
  return {
    status,
    url: "http://127.0.0.1/me",
    headers: new Map(),
    setCookies: [],
    allSetCookies: [],
    redirects: [],
    body,
    elapsedMs: 1,
    receivedAt: Date.now(),
    serverDate: undefined,
  };
}

function authenticator(authCheck: Record<string, string>): Authenticator {
  const config = resolveConfig(
    { login: { url: "/login", form: { u: "a" } }, authCheck: { url: "/me", ...authCheck } },
    "http://127.0.0.1",
  );
  const http = new HttpClient(config.target, new Budget({ maxRequests: 10, rate: 10, maxDurationMs: 1000 }));
  return new Authenticator(
    config,
    http,
    () => "sid",
    () => {},
  );
}

describe("configured regular expressions run in linear time (RE2)", () => {
  it("a catastrophic loggedIn pattern on a hostile body answers at once, and right", () => {
    // Issue 13: `(a+)+$` against 46 a's and one other character backtracks 2^46 times in a JavaScript RegExp.
    const auth = authenticator({ loggedIn: "(a+)+$", loggedOut: "(b+)+$" });
    expect(auth.classify(response(200, `${"a".repeat(46)}!`))).toBe("unknown");
    expect(auth.classify(response(200, "a".repeat(46)))).toBe("authenticated");
    expect(auth.classify(response(200, `${"b".repeat(46)}`))).toBe("anonymous");
    expect(auth.classify(response(200, `${"b".repeat(5000)}!${"a".repeat(100_000)}!`))).toBe("unknown");
  });

  it("keeps JavaScript's meaning: case-sensitive, unanchored, ^ and $ at the ends of the body", () => {
    const welcome = UserRegex.compile("Welcome, \\w+");
    expect(welcome.test("<h1>Welcome, alice</h1>")).toBe(true);
    expect(welcome.test("<h1>welcome, alice</h1>")).toBe(false);
    expect(UserRegex.compile("^ok$").test("ok\nnot")).toBe(false);
    expect(UserRegex.compile("(?i)WELCOME").test("welcome")).toBe(true);
    // JavaScript spellings RE2 writes otherwise are translated.
    expect(UserRegex.compile("\\u0041lice").test("Alice")).toBe(true);
    expect(UserRegex.compile("(?<user>alice)\\/account").test("alice/account")).toBe(true);
  });
});

describe("a pattern RE2 cannot run is a configuration error naming the key", () => {
  it.each([
    ["a backreference", "(alice) \\1", /backreference.*write the repeated text out/],
    ["a named backreference", "(?<n>a)\\k<n>", /backreference/],
    ["a lookahead", "Welcome(?=, alice)", /lookahead.*match the following text/],
    ["a negative lookahead", "Welcome(?!, guest)", /lookahead/],
    ["a lookbehind", "(?<=Hello, )alice", /lookbehind.*match the preceding text/],
    ["a possessive quantifier", "a++", /possessive/],
    ["broken syntax", "(", /not valid RE2 syntax.*missing closing \)/],
  ])("%s", (_what, pattern, hint) => {
    const error = configError({ loggedIn: pattern });
    expect(error.code).toBe("ERR_CONFIG");
    expect(error.message).toContain("authCheck.loggedIn:");
    expect(error.message).toContain(JSON.stringify(pattern));
    expect(error.message).toMatch(hint);
  });

  it("names loggedOut too, and cuts a long pattern", () => {
    const long = `(?=${"x".repeat(500)})`;
    const error = configError({ loggedIn: "ok", loggedOut: long });
    expect(error.message).toContain("authCheck.loggedOut:");
    expect(error.message).toContain(`"${long.slice(0, 60)}…"`);
    expect(error.message).not.toContain("x".repeat(100));
  });
});
