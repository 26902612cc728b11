import { readFileSync } from "node:fs";
import { SessionManager } from "sessionguard";
import { describe, expect, it } from "vitest";
import { ALL_CHECKS, type CatalogueEntry, CHECK_IDS, type CheckId } from "../src/checks/index.js";
import { cweUrl } from "../src/checks/lib/references.js";
import { Redactor } from "../src/report/redact.js";

const CATALOGUE = Object.fromEntries(ALL_CHECKS.map((c) => [c.id, c.catalogue])) as Record<CheckId, CatalogueEntry>;

/**
 * The documented check table (docs/audit.md, "The checks"): ids with their
 * default severities, as SPEC §2.3 lists them. A row names several ids and
 * either one severity for all or one per id.
 */
function documentedSeverities(): Map<string, string> {
  const doc = readFileSync(new URL("../../../docs/audit.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## The checks"), doc.indexOf("## Reading the report"));
  const table = new Map<string, string>();
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const ids = [...(cells[1] ?? "").matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? "");
    if (ids.length === 0) continue;
    const severities = (cells[2] ?? "").split(",").map((x) => x.trim());
    ids.forEach((id, k) => {
      table.set(id, severities.length === 1 ? (severities[0] ?? "") : (severities[k] ?? ""));
    });
  }
  return table;
}

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

describe("the catalogue entries of the checks", () => {
  it("cover exactly the documented check ids (SPEC §2.3), in order, with their default severity", () => {
    const documented = documentedSeverities();
    expect([...documented.keys()]).toEqual([...CHECK_IDS]);
    expect(new Set(CHECK_IDS).size).toBe(CHECK_IDS.length);
    for (const id of CHECK_IDS) expect(CATALOGUE[id].severity, id).toBe(documented.get(id));
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

  // Every option, method and type is checked by the compiler in fixes-typecheck.test.ts.
  it("configures the limit the concurrent-sessions fix promises, and calls real manager methods", () => {
    const limit = CATALOGUE["concurrent-sessions"].fixes.find((f) => f.platform === "sessionguard")?.code ?? "";
    expect(managerOptionKeys(limit)).toEqual(["store", "keys", "maxSessionsPerUser", "sessionLimitPolicy"]);
    const throttle = CATALOGUE["invalid-id-throttling"].fixes.find((f) => f.platform === "sessionguard")?.code ?? "";
    expect(managerOptionKeys(throttle)).toContain("guessingLimit");
    for (const id of CHECK_IDS) {
      for (const fix of CATALOGUE[id].fixes.filter((f) => f.platform === "sessionguard")) {
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
