import { describe, expect, it } from "vitest";
import { renderReport } from "../src/report/index.js";
import type { Report } from "../src/report/model.js";
import { Redactor, redacted, redactReport } from "../src/report/redact.js";
import { sampleReport } from "./fixtures/sample-report.js";

const TOKEN = "Zq3xY0rT8kP2mN5vB7cL9dF1gH4jK6sA0wE2uI8oQ1p"; // 43 chars, like a sessionguard token
const PHPSESSID = "9b1c4e0f2a7d3e5b8c6a1f0e4d2b7c9a";
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIiwiaWF0IjoxNzQ5Njg2OTIxfQ.qW8n3Z5mY7rX2vT9pL4kJ1hG6fD0sA3cB8eN5uI7oQ2";

describe("Redactor", () => {
  it("replaces every occurrence of a known secret with its length", () => {
    const r = new Redactor().add(TOKEN);
    expect(r.apply(`token ${TOKEN} seen twice: ${TOKEN}.`)).toBe(
      "token [REDACTED:43 chars] seen twice: [REDACTED:43 chars].",
    );
  });

  it("ignores secrets shorter than 4 characters, which would shred ordinary text", () => {
    const r = new Redactor().add("abc").add("");
    expect(r.size).toBe(0);
    expect(r.apply("abc def abc")).toBe("abc def abc");
  });

  it("also removes the URL-encoded form of a password, as it appears in form bodies", () => {
    const r = new Redactor().add("p@ss word&1");
    expect(r.apply("login=alice&pw=p%40ss%20word%261 and pw=p%40ss+word%261")).toBe(
      "login=alice&pw=[REDACTED:17 chars] and pw=[REDACTED:15 chars]",
    );
  });

  it("removes a longer secret whole when it contains a shorter one", () => {
    const r = new Redactor().add("alice-pw").add("alice-pw-2");
    expect(r.apply("changed alice-pw to alice-pw-2")).toBe("changed [REDACTED:8 chars] to [REDACTED:10 chars]");
  });

  it("masks Set-Cookie values and keeps the cookie name and every attribute", () => {
    const r = new Redactor();
    expect(r.apply(`< Set-Cookie: __Host-sid=${TOKEN}; Path=/; Secure; HttpOnly; SameSite=Lax`)).toBe(
      "< Set-Cookie: __Host-sid=[REDACTED:43 chars]; Path=/; Secure; HttpOnly; SameSite=Lax",
    );
    expect(
      r.apply(`set-cookie: PHPSESSID=${PHPSESSID}; expires=Thu, 12-Jun-2025 01:15:08 GMT; Max-Age=3600; path=/`),
    ).toBe("set-cookie: PHPSESSID=[REDACTED:32 chars]; expires=Thu, 12-Jun-2025 01:15:08 GMT; Max-Age=3600; path=/");
    expect(r.apply('Set-Cookie: prefs="dark-mode=1"; Path=/')).toBe('Set-Cookie: prefs="[REDACTED:11 chars]"; Path=/');
  });

  it("leaves a deletion cookie (empty value) readable", () => {
    expect(new Redactor().apply("Set-Cookie: __Host-sid=; Max-Age=0; Path=/; Secure")).toBe(
      "Set-Cookie: __Host-sid=; Max-Age=0; Path=/; Secure",
    );
  });

  it("masks every value of a Cookie request header, keeping names", () => {
    const r = new Redactor();
    expect(r.apply(`> Cookie: PHPSESSID=${PHPSESSID}; theme=dark; _ga=GA1.1.123456.789`)).toBe(
      `> Cookie: PHPSESSID=[REDACTED:32 chars]; theme=[REDACTED:4 chars]; _ga=${redacted("GA1.1.123456.789".length)}`,
    );
  });

  it("masks cookies and credentials in pasteable curl commands without breaking the quoting", () => {
    const r = new Redactor();
    expect(r.apply(`curl -s -H 'Cookie: __Host-sid=${TOKEN}' http://127.0.0.1:8080/account`)).toBe(
      "curl -s -H 'Cookie: __Host-sid=[REDACTED:43 chars]' http://127.0.0.1:8080/account",
    );
    expect(r.apply(`curl -b "sid=${TOKEN}; lang=en" http://127.0.0.1:8080/`)).toBe(
      'curl -b "sid=[REDACTED:43 chars]; lang=[REDACTED:2 chars]" http://127.0.0.1:8080/',
    );
    expect(r.apply(`curl --cookie sid=${TOKEN} http://127.0.0.1:8080/`)).toBe(
      "curl --cookie sid=[REDACTED:43 chars] http://127.0.0.1:8080/",
    );
    expect(r.apply("curl -b jar.txt -c jar.txt http://127.0.0.1:8080/")).toBe(
      "curl -b jar.txt -c jar.txt http://127.0.0.1:8080/",
    );
    expect(r.apply("curl -u alice:alice-pw http://127.0.0.1:8080/")).toBe(
      "curl -u alice:[REDACTED:8 chars] http://127.0.0.1:8080/",
    );
    expect(r.apply("curl -d 'username=alice&password=alice-pw&csrf_token=f00dbabe' http://127.0.0.1:8080/login")).toBe(
      "curl -d 'username=alice&password=[REDACTED:8 chars]&csrf_token=[REDACTED:8 chars]' http://127.0.0.1:8080/login",
    );
  });

  it("keeps placeholders and shell variables in reproduce steps", () => {
    const r = new Redactor();
    const steps = [
      `curl -b "__Host-sid=$id" http://127.0.0.1:8080/account`,
      "curl -d 'username=alice&password=<PASSWORD>' http://127.0.0.1:8080/login",
      "curl -H 'Authorization: Bearer <TOKEN>' http://127.0.0.1:8080/api",
    ];
    for (const s of steps) expect(r.apply(s)).toBe(s);
  });

  it("masks Authorization credentials and keeps the scheme", () => {
    const r = new Redactor();
    expect(r.apply(`> Authorization: Bearer ${JWT}`)).toBe(`> Authorization: Bearer ${redacted(JWT.length)}`);
    expect(r.apply("Authorization: Basic YWxpY2U6YWxpY2UtcHc=")).toBe("Authorization: Basic [REDACTED:20 chars]");
    expect(r.apply("proxy-authorization: s3cr3t-value")).toBe("proxy-authorization: [REDACTED:12 chars]");
  });

  it("masks JWTs anywhere, including unsigned alg:none tokens", () => {
    const r = new Redactor();
    expect(r.apply(`the cookie holds ${JWT} (HS256)`)).toBe(`the cookie holds ${redacted(JWT.length)} (HS256)`);
    const none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.";
    expect(r.apply(`forged: ${none}`)).toBe(`forged: ${redacted(none.length)}`);
  });

  it("masks password, secret and token fields in JSON bodies", () => {
    const r = new Redactor();
    expect(r.apply('{"username":"alice","password":"alice-pw","api_token": "t0k3n-v@lue","note":"hi"}')).toBe(
      '{"username":"alice","password":"[REDACTED:8 chars]","api_token": "[REDACTED:11 chars]","note":"hi"}',
    );
    expect(r.apply('{"client_secret":"a\\"b"}')).toBe('{"client_secret":"[REDACTED:4 chars]"}');
  });

  it("masks session ids and passwords carried in URLs", () => {
    const r = new Redactor();
    expect(r.apply("GET https://admin:s3cret-pw@app.example.com/ failed")).toBe(
      "GET https://admin:[REDACTED:9 chars]@app.example.com/ failed",
    );
    expect(r.apply(`Location: /account;jsessionid=${PHPSESSID}?tab=1`)).toBe(
      "Location: /account;jsessionid=[REDACTED:32 chars]?tab=1",
    );
    expect(r.apply(`<a href="/cart?PHPSESSID=${PHPSESSID}&item=3">`)).toBe(
      '<a href="/cart?PHPSESSID=[REDACTED:32 chars]&item=3">',
    );
  });

  it("is idempotent: applying twice changes nothing more, and placeholders survive short secrets", () => {
    const r = new Redactor().add(TOKEN).add("char").add("REDACTED");
    const once = r.apply(`Set-Cookie: sid=${TOKEN}; Path=/\nCookie: sid=${TOKEN}\nAuthorization: Bearer ${TOKEN}`);
    expect(r.apply(once)).toBe(once);
    expect(once).not.toContain(TOKEN);
    expect(once.match(/\[REDACTED:43 chars\]/g)).toHaveLength(3);
  });
});

describe("redactReport", () => {
  function leaky(): Report {
    const base = sampleReport();
    const [first, ...rest] = base.findings;
    if (first === undefined) throw new Error("fixture has findings");
    return {
      ...base,
      target: "http://admin:hunter22@127.0.0.1:8080",
      results: base.results.map((r) => (r.id === first.id ? { ...r, reason: `predicted ${PHPSESSID}` } : r)),
      findings: [
        {
          ...first,
          description: `The token ${PHPSESSID} was predicted.`,
          evidence: [`< Set-Cookie: PHPSESSID=${PHPSESSID}; path=/`, `login with alice / hunter22`],
          reproduce: [`curl -H 'Cookie: PHPSESSID=${PHPSESSID}' http://127.0.0.1:8080/account`],
          args: { token: PHPSESSID, samples: 3, confirmed: true },
        },
        ...rest,
      ],
      tokens: { ...base.tokens, predicted: ["684a1b5402f3a", "684a1b5402f3b"], verdict: "next is 684a1b5402f3a" },
    };
  }

  it("applies the redactor to every string of findings, results and tokens, and masks predictions whole", () => {
    const redactor = new Redactor().add(PHPSESSID).add("hunter22");
    const out = redactReport(leaky(), redactor);
    const json = JSON.stringify(out);
    for (const secret of [PHPSESSID, "hunter22", "684a1b5402f3a", "684a1b5402f3b"]) expect(json).not.toContain(secret);
    expect(out.tokens.predicted).toEqual(["[REDACTED:13 chars]", "[REDACTED:13 chars]"]);
    expect(out.tokens.verdict).toBe("next is [REDACTED:13 chars]");
    expect(out.findings[0]?.evidence[0]).toBe("< Set-Cookie: PHPSESSID=[REDACTED:32 chars]; path=/");
    expect(out.findings[0]?.args).toEqual({ token: "[REDACTED:32 chars]", samples: 3, confirmed: true });
    expect(out.target).toBe("http://admin:[REDACTED:8 chars]@127.0.0.1:8080");
  });

  it("leaves the input report and the redactor untouched", () => {
    const input = leaky();
    const before = JSON.stringify(input);
    const redactor = new Redactor().add(PHPSESSID);
    redactReport(input, redactor);
    expect(JSON.stringify(input)).toBe(before);
    expect(redactor.apply("684a1b5402f3a")).toBe("684a1b5402f3a");
  });

  it("keeps an already redacted report identical, so every renderer output stays the same", () => {
    const report = sampleReport();
    const out = redactReport(report, new Redactor());
    expect(out).toEqual(report);
    for (const f of ["md", "html", "json", "sarif"] as const)
      expect(renderReport(out, f)).toBe(renderReport(report, f));
  });
});
