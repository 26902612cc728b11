import { SessionManager } from "sessionguard";
import { describe, expect, it } from "vitest";
import { CATALOGUE, cweUrl } from "../src/checks/catalogue.js";
import { CHECK_IDS, type CheckId, type Severity } from "../src/report/model.js";
import { Redactor } from "../src/report/redact.js";

// SPEC §2.3, copied by hand: the catalogue must not drift from the contract table.
const SPEC_SEVERITY: Record<CheckId, Severity> = {
  "token-length": "medium",
  "token-entropy": "high",
  "token-predictable": "critical",
  "token-duplicate": "high",
  "token-bias": "medium",
  "token-decodable": "medium",
  "state-tampering": "critical",
  "state-weak-key": "critical",
  "jwt-alg-none": "critical",
  "jwt-expiry": "medium",
  "cookie-secure": "medium",
  "cookie-httponly": "medium",
  "cookie-samesite": "low",
  "cookie-scope": "low",
  "cookie-persistent": "low",
  "cookie-prefix": "info",
  "transport-cleartext": "high",
  "transport-hsts": "low",
  "id-in-url": "high",
  "cache-sensitive": "low",
  fixation: "high",
  "id-adoption": "high",
  "logout-invalidation": "high",
  "credential-change-invalidation": "high",
  "idle-timeout": "medium",
  "absolute-timeout": "medium",
  "concurrent-sessions": "low",
  "invalid-id-throttling": "low",
};

// SessionManagerOptions (packages/sessionguard/src/core/options.ts).
const SG_OPTIONS = new Set([
  "store",
  "keys",
  "cookie",
  "idleTimeout",
  "absoluteTimeout",
  "touchInterval",
  "rotation",
  "maxSessionsPerUser",
  "sessionLimitPolicy",
  "binding",
  "csrf",
  "clearSiteData",
  "maxDataBytes",
  "insecureDevelopmentCookie",
  "clock",
  "random",
]);
// The express adapter's req.session methods (ExpressSession).
const SG_SESSION_METHODS = new Set([
  "login",
  "logout",
  "regenerate",
  "destroy",
  "save",
  "touch",
  "revokeOthers",
  "credentialsChanged",
  "csrfToken",
  "verifyCsrfToken",
  "setTimeouts",
]);
// php.ini session directives that exist in PHP 8.
const PHP_SESSION_INI = new Set([
  "use_strict_mode",
  "sid_length",
  "sid_bits_per_character",
  "cookie_secure",
  "cookie_httponly",
  "cookie_samesite",
  "cookie_domain",
  "cookie_path",
  "cookie_lifetime",
  "gc_maxlifetime",
  "name",
  "use_only_cookies",
  "use_trans_sid",
  "cache_limiter",
]);

/** Top-level keys of every `new SessionManager({ … })` literal in a snippet. */
function managerOptionKeys(snippet: string): string[] {
  const code = snippet.replace(/\/\/[^\n]*/g, "");
  const keys: string[] = [];
  for (const start of code.matchAll(/new SessionManager\(\{/g)) {
    let depth = 1;
    let segment = "";
    for (let i = (start.index ?? 0) + start[0].length; i < code.length && depth > 0; i++) {
      const c = code[i] ?? "";
      if ("{[(".includes(c)) depth++;
      else if ("}])".includes(c)) depth--;
      else if (depth === 1) segment += c;
    }
    for (const property of segment.split(",")) {
      const key = /^\s*(\w+)/.exec(property)?.[1];
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}

describe("CATALOGUE", () => {
  it("has exactly one entry per check id, with the SPEC §2.3 default severity", () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...CHECK_IDS].sort());
    for (const id of CHECK_IDS) expect(CATALOGUE[id].severity, id).toBe(SPEC_SEVERITY[id]);
  });

  it("maps the CWEs and ASVS 5.0 requirements the brief names", () => {
    expect(CATALOGUE.fixation.cwe).toContain(384);
    expect(CATALOGUE.fixation.asvs).toContain("7.2.4");
    expect(CATALOGUE["token-predictable"].cwe).toEqual(expect.arrayContaining([330, 340]));
    expect(CATALOGUE["token-entropy"].cwe).toContain(331);
    expect(CATALOGUE["token-entropy"].asvs).toContain("7.2.3");
    expect(CATALOGUE["transport-cleartext"].cwe).toContain(319);
    expect(CATALOGUE["cookie-secure"].cwe).toContain(614);
    expect(CATALOGUE["cookie-httponly"].cwe).toContain(1004);
    expect(CATALOGUE["id-in-url"].cwe).toContain(598);
    expect(CATALOGUE["cache-sensitive"].cwe).toContain(525);
    expect(CATALOGUE["state-weak-key"].cwe).toEqual(expect.arrayContaining([321, 326]));
    expect(CATALOGUE["jwt-alg-none"].cwe).toContain(347);
    expect(CATALOGUE["state-tampering"].cwe).toEqual(expect.arrayContaining([565, 602]));
    for (const id of ["logout-invalidation", "idle-timeout", "absolute-timeout"] as const) {
      expect(CATALOGUE[id].cwe).toContain(613);
    }
    expect(CATALOGUE["idle-timeout"].asvs).toContain("7.3.1");
    expect(CATALOGUE["absolute-timeout"].asvs).toContain("7.3.2");
    expect(CATALOGUE["logout-invalidation"].asvs).toContain("7.4.1");
    expect(CATALOGUE["credential-change-invalidation"].asvs).toContain("7.4.3");
    expect(CATALOGUE["cookie-secure"].asvs).toContain("3.3.1");
    expect(CATALOGUE["cookie-samesite"].asvs).toContain("3.3.2");
    expect(CATALOGUE["cookie-prefix"].asvs).toContain("3.3.3");
  });

  it.each(CHECK_IDS)("%s is complete: prose, fixes for three platforms, references, re-test", (id) => {
    const e = CATALOGUE[id];
    for (const field of [
      "title",
      "description",
      "impact",
      "likelihood",
      "recommendation",
      "retest",
      "headline",
      "action",
    ]) {
      expect((e as unknown as Record<string, string>)[field]?.length, `${id}.${field}`).toBeGreaterThan(10);
    }
    expect(e.cwe.length).toBeGreaterThan(0);
    expect(e.asvs.length).toBeGreaterThan(0);
    for (const a of e.asvs) expect(a).toMatch(/^\d{1,2}\.\d\.\d$/);
    const platforms = e.fixes.map((f) => f.platform);
    expect(platforms).toEqual(expect.arrayContaining(["express-session", "php", "sessionguard"]));
    for (const f of e.fixes) expect(f.code.trim().length).toBeGreaterThan(20);
    for (const n of e.cwe) expect(e.references).toContain(cweUrl(n));
    for (const r of e.references) expect(r).toMatch(/^https:\/\/\S+$/);
    expect(e.references.some((r) => /cheatsheetseries\.owasp\.org/.test(r))).toBe(true);
    expect(e.references.some((r) => /OWASP\/ASVS\/blob\/v5\.0\.0\//.test(r))).toBe(true);
    expect(e.retest).toContain(`\`${id}\``);
  });

  it("points JWT findings to the OWASP JWT cheat sheet", () => {
    for (const id of ["jwt-alg-none", "jwt-expiry"] as const) {
      expect(CATALOGUE[id].references).toContain(
        "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_Cheat_Sheet.html",
      );
    }
  });

  it("writes likelihoods specific to each flaw, never one shared paragraph", () => {
    const texts = CHECK_IDS.map((id) => CATALOGUE[id].likelihood);
    expect(new Set(texts).size).toBe(texts.length);
    expect(new Set(CHECK_IDS.map((id) => CATALOGUE[id].impact)).size).toBe(CHECK_IDS.length);
  });

  it("uses only real sessionguard option and method names in its snippets", () => {
    const limit = CATALOGUE["concurrent-sessions"].fixes.find((f) => f.platform === "sessionguard")?.code ?? "";
    expect(managerOptionKeys(limit)).toEqual(["store", "keys", "maxSessionsPerUser", "sessionLimitPolicy"]);
    for (const id of CHECK_IDS) {
      for (const fix of CATALOGUE[id].fixes.filter((f) => f.platform === "sessionguard")) {
        for (const key of managerOptionKeys(fix.code)) expect(SG_OPTIONS, `${id}: option ${key}`).toContain(key);
        for (const m of fix.code.matchAll(/req\.session\.(\w+)\(/g)) {
          expect(SG_SESSION_METHODS, `${id}: req.session.${m[1]}()`).toContain(m[1]);
        }
        for (const m of fix.code.matchAll(/manager\.(\w+)\(/g)) {
          const proto = SessionManager.prototype as unknown as Record<string, unknown>;
          expect(typeof proto[m[1] ?? ""], `${id}: manager.${m[1]}()`).toBe("function");
        }
      }
    }
  });

  it("uses only php.ini session directives that exist", () => {
    for (const id of CHECK_IDS) {
      for (const fix of CATALOGUE[id].fixes.filter((f) => f.platform === "php")) {
        for (const m of fix.code.matchAll(/\bsession\.(\w+)/g))
          expect(PHP_SESSION_INI, `${id}: session.${m[1]}`).toContain(m[1]);
      }
    }
    expect(CATALOGUE.fixation.fixes.find((f) => f.platform === "php")?.code).toContain("session_regenerate_id(true)");
  });

  it("survives redaction unchanged: no catalogue text looks like a secret", () => {
    const r = new Redactor();
    for (const id of CHECK_IDS) {
      const e = CATALOGUE[id];
      for (const text of [e.description, e.impact, e.likelihood, e.recommendation, e.retest, ...e.references]) {
        expect(r.apply(text)).toBe(text);
      }
      for (const f of e.fixes) expect(r.apply(f.code), `${id} ${f.platform}`).toBe(f.code);
    }
  });
});
