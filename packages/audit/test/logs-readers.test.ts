import { describe, expect, test } from "vitest";
import { parseClfTime } from "../src/logs/clf-time.js";
import { LineSplitter } from "../src/logs/line-splitter.js";
import { networkOf } from "../src/logs/network.js";
import { DEFAULT_LOG_OPTIONS, resolveLogOptions } from "../src/logs/options.js";
import { CombinedReader } from "../src/logs/read-combined.js";
import { JsonLinesReader } from "../src/logs/read-jsonl.js";
import { redactLine, redactPath } from "../src/logs/redact-line.js";
import { SessionCookiePicker } from "../src/logs/session-cookie.js";
import { type Timed, TimeKeyedTable } from "../src/logs/time-keyed-table.js";
import { isCrawler, userAgentFamily } from "../src/logs/user-agent-family.js";

const TOKEN = "Qm9vbS1hLXJlYWwtbG9va2luZy1zZXNzaW9uLXRva2Vu";
const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0";

describe("combined reader", () => {
  const line = (cookie: string, user = "-") =>
    `203.0.113.7 - ${user} [02/Dec/2026:17:17:25 +0100] "GET /account?x=1 HTTP/1.1" 200 512 "https://a.example/" "${UA}" "${cookie}"`;

  test("reads the fields and the session from a whole Cookie header", () => {
    const e = new CombinedReader(new SessionCookiePicker(null)).read(line(`theme=dark; sid=${TOKEN}; _ga=1`, "alice"));
    expect(e).toEqual({
      kind: "request",
      time: Date.UTC(2026, 11, 2, 16, 17, 25),
      ip: "203.0.113.7",
      userAgent: UA,
      user: "alice",
      method: "GET",
      path: "/account?x=1",
      status: 200,
      session: TOKEN,
    });
  });

  test("one pair, a bare value, `-`, and --cookie picking among look-alike names", () => {
    expect(new CombinedReader(new SessionCookiePicker(null)).read(line(`JSESSIONID=${TOKEN}`))?.session).toBe(TOKEN);
    expect(new CombinedReader(new SessionCookiePicker(null)).read(line(TOKEN))?.session).toBe(TOKEN);
    expect(new CombinedReader(new SessionCookiePicker(null)).read(line("-"))?.session).toBeNull();
    const picker = new SessionCookiePicker("sid");
    expect(new CombinedReader(picker).read(line(`xsid=nope; sid=${TOKEN}`))?.session).toBe(TOKEN);
    expect(new CombinedReader(picker).read(line("other=1"))?.session).toBeNull();
  });

  test("escaped quotes inside fields, extra fields before the cookie, and no cookie field at all", () => {
    const r = new CombinedReader(new SessionCookiePicker("sid"));
    const escaped = `10.0.0.1 - - [02/Dec/2026:17:17:25 +0000] "GET /q?a=\\"b\\" HTTP/1.1" 404 0 "-" "Agent \\"quoted\\"" "10.9.9.9" "sid=${TOKEN}"`;
    expect(r.read(escaped)).toMatchObject({ status: 404, userAgent: 'Agent \\"quoted\\"', session: TOKEN });
    const plain = `10.0.0.1 - - [02/Dec/2026:17:17:25 +0000] "GET / HTTP/1.1" 200 5 "-" "${UA}"`;
    expect(r.read(plain)).toMatchObject({ status: 200, session: null });
  });

  test("rejects what is not a combined line", () => {
    const r = new CombinedReader(new SessionCookiePicker(null));
    for (const bad of [
      "",
      "garbage",
      '{"a":1}',
      `1.2.3.4 - - [not a time] "GET / HTTP/1.1" 200 1 "-" "-"`,
      `1.2.3.4 - - [02/Dec/2026:17:17:25 +0000] "GET / HTTP/1.1" 999 1 "-" "-"`,
    ]) {
      expect(r.read(bad)).toBeNull();
    }
  });

  test("CLF times honour the offset", () => {
    expect(parseClfTime("02/Dec/2026:17:17:25 -0530")).toBe(Date.UTC(2026, 11, 2, 22, 47, 25));
    expect(parseClfTime("31/Foo/2026:17:17:25 +0000")).toBeNull();
  });
});

describe("JSON-lines reader", () => {
  test("nginx escape=json names, cookie_<name> and http_cookie", () => {
    const r = new JsonLinesReader(DEFAULT_LOG_OPTIONS.fields, new SessionCookiePicker("sid"));
    const base = {
      time_iso8601: "2026-12-02T17:17:25+00:00",
      remote_addr: "198.51.100.1",
      request: "POST /login HTTP/2.0",
      status: "401",
      http_user_agent: UA,
    };
    expect(r.read(JSON.stringify({ ...base, cookie_sid: TOKEN }))).toMatchObject({
      kind: "request",
      time: Date.UTC(2026, 11, 2, 17, 17, 25),
      method: "POST",
      path: "/login",
      status: 401,
      session: TOKEN,
    });
    expect(r.read(JSON.stringify({ ...base, http_cookie: `a=1; sid=${TOKEN}` }))?.session).toBe(TOKEN);
    expect(
      r.read(
        JSON.stringify({
          ...base,
          request: undefined,
          request_method: "GET",
          request_uri: "/x",
          time_iso8601: undefined,
          time_local: "02/Dec/2026:17:17:25 +0000",
        }),
      ),
    ).toMatchObject({ method: "GET", path: "/x", time: Date.UTC(2026, 11, 2, 17, 17, 25) });
  });

  test("other field names through the --config mapping, nested with dots", () => {
    const options = resolveLogOptions({
      logs: { fields: { ip: "client.ip", time: "ts", session: "session.token", status: "http.code" } },
    });
    const r = new JsonLinesReader(options.fields, new SessionCookiePicker(null));
    const e = r.read(
      JSON.stringify({
        ts: 1_764_695_845_000,
        client: { ip: "192.0.2.5" },
        session: { token: TOKEN },
        http: { code: 200 },
      }),
    );
    expect(e).toMatchObject({ ip: "192.0.2.5", session: TOKEN, status: 200, time: 1_764_695_845_000 });
  });

  test("library events are recognised by their fields", () => {
    const r = new JsonLinesReader(DEFAULT_LOG_OPTIONS.fields, new SessionCookiePicker(null));
    const line = JSON.stringify({
      type: "rotated",
      at: "2026-12-02T17:17:25.000Z",
      sid: "newPublicId00000000000",
      previousSid: "oldPublicId00000000000",
      userId: "alice",
      source: "sessionguard",
    });
    expect(r.read(line)).toMatchObject({
      kind: "event",
      session: "newPublicId00000000000",
      user: "alice",
      event: { type: "rotated", previousSid: "oldPublicId00000000000", reason: null },
    });
    expect(r.read('{"type":"hello"}')).toBeNull();
    expect(r.read("{not json")).toBeNull();
    expect(r.read("[1,2]")).toBeNull();
  });
});

describe("clients", () => {
  test("agent families ignore versions and tell browsers and systems apart", () => {
    const chrome = (v: number) =>
      `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;
    expect(userAgentFamily(chrome(120))).toBe(userAgentFamily(chrome(121)));
    expect(userAgentFamily(chrome(120))).toBe("chrome/windows");
    expect(userAgentFamily(UA)).toBe("firefox/linux");
    expect(userAgentFamily("MyApp/1.2.3 (build 456)")).toBe(userAgentFamily("MyApp/1.3.0 (build 501)"));
    expect(isCrawler("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")).toBe(true);
    expect(isCrawler(UA)).toBe(false);
  });

  test("networks are /24 and /64 by default", () => {
    expect(networkOf("203.0.113.7")).toBe(networkOf("203.0.113.250"));
    expect(networkOf("203.0.113.7")).not.toBe(networkOf("203.0.114.7"));
    expect(networkOf("2001:db8:1:2::1")).toBe(networkOf("2001:db8:1:2:ffff::9"));
    expect(networkOf("2001:db8:1:2::1")).not.toBe(networkOf("2001:db8:1:3::1"));
    expect(networkOf("203.0.113.7", 16)).toBe(networkOf("203.0.9.7", 16));
  });
});

describe("line splitter", () => {
  test("lines split across chunks, CRLF, and a last line without newline", () => {
    const lines: (string | null)[] = [];
    const s = new LineSplitter(100, (l) => lines.push(l));
    for (const piece of ["ab", "c\r\nde", "f\n\ng", "hi"]) s.push(piece);
    s.end();
    expect(lines).toEqual(["abc", "def", "", "ghi"]);
  });

  test("an over-long line is reported once as null, whichever chunk it ends in", () => {
    const lines: (string | null)[] = [];
    const s = new LineSplitter(10, (l) => lines.push(l));
    s.push("ok\n");
    s.push("x".repeat(7));
    s.push("x".repeat(7));
    s.push("x".repeat(50));
    s.push("x\nafter\n");
    s.push(`${"y".repeat(30)}\nlast`);
    s.end();
    expect(lines).toEqual(["ok", null, "after", null, "last"]);
  });
});

describe("redaction and bounded state", () => {
  test("quoted malformed lines keep no token and no query value", () => {
    const text = redactLine(`garbage sid=${TOKEN} and ${TOKEN} /a?token=${TOKEN}`);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(TOKEN.slice(0, 16));
    expect(redactPath(`/a;jsessionid=${TOKEN}?x=${TOKEN}`)).not.toContain(TOKEN);
  });

  test("entries idle longer than the TTL are evicted as log time advances; the cap holds", () => {
    const evicted: string[] = [];
    const table = new TimeKeyedTable<Timed>(1000, 3, (k) => evicted.push(k));
    table.add("a", { lastSeen: 0, placed: 0 });
    table.add("b", { lastSeen: 100, placed: 0 });
    const a = table.get("a") as Timed;
    a.lastSeen = 900;
    table.sweep(1150);
    expect(evicted).toEqual(["b"]);
    table.add("c", { lastSeen: 1100, placed: 0 });
    table.add("d", { lastSeen: 1100, placed: 0 });
    table.add("e", { lastSeen: 1100, placed: 0 });
    expect(table.size).toBe(3);
    expect(table.forced).toBe(1);
    table.sweep(5000);
    expect(table.size).toBe(0);
  });

  test("configuration mistakes name the key and what it must be", () => {
    expect(() => resolveLogOptions({ logs: { guessing: { window: "soon" } } })).toThrow(
      /logs\.guessing\.window must be a duration/,
    );
    expect(() => resolveLogOptions({ logs: { loginBurst: { failureStatuses: [1] } } })).toThrow(
      /list of HTTP statuses/,
    );
    expect(() => resolveLogOptions({ logs: { afterLogout: { logoutPath: "(" } } })).toThrow(
      /not a valid regular expression/,
    );
    expect(resolveLogOptions({ policy: { maxAbsolute: "8h" } }).pastAbsolute.maxAbsoluteMs).toBe(8 * 3_600_000);
    expect(resolveLogOptions({ sessionCookie: "PHPSESSID" }).cookie).toBe("PHPSESSID");
  });
});
