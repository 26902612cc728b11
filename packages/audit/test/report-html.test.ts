import { describe, expect, it } from "vitest";
import { CHECK_IDS } from "../src/checks/index.js";
import { renderHtml } from "../src/report/html.js";
import { hostileReport, IMG, SCRIPT } from "./fixtures/hostile-report.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

function count(text: string, re: RegExp): number {
  return [...text.matchAll(re)].length;
}

describe("renderHtml", () => {
  const html = renderHtml(sampleReport());

  it("is one self-contained document that can load nothing", () => {
    expect(html.startsWith("<!doctype html>\n")).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
    expect(html).not.toMatch(/<script|<link|<iframe|<img|<object|<embed/i);
    expect(html).not.toMatch(/\ssrc=|@import|url\(/i);
    // Only in-page anchors and plain https reference links.
    for (const m of html.matchAll(/\shref="([^"]*)"/g)) expect(m[1]).toMatch(/^(#[\w-]+|https:\/\/[^\s"<>]+)$/);
  });

  it("follows the template with a table of contents and a heading per finding", () => {
    const order = [
      'id="summary"',
      "Executive Summary",
      'id="results"',
      'id="findings"',
      'id="tokens"',
      'id="verification"',
      'id="conclusion"',
    ];
    let at = 0;
    for (const needle of order) {
      const i = html.indexOf(needle, at);
      expect(i, needle).toBeGreaterThan(at - 1);
      at = i;
    }
    expect(count(html, /<h3 id="finding-\d+-[\w-]+-h">/g)).toBe(5);
    for (const f of sampleReport().findings) expect(html).toMatch(new RegExp(`<a href="#finding-\\d+-${f.id}">`));
    for (const id of CHECK_IDS) expect(html).toContain(`<code>${id}</code>`);
    for (const section of [
      "Description of the Vulnerability",
      "Impact",
      "Likelihood",
      "Evidence",
      "Steps to Reproduce",
      "Recommendations for Developers",
      "Verification",
      "References",
    ]) {
      expect(count(html, new RegExp(`<h4>${section}</h4>`, "g")), section).toBe(5);
    }
    expect(html).toContain('<span class="badge sev-critical">Critical</span>');
    expect(html).toContain(
      '<div class="risk sev-critical"><div class="label">Overall risk</div><div class="value">Critical</div>',
    );
  });

  it("draws the three token charts as inline SVG from the chart data", () => {
    expect(count(html, /<svg /g)).toBe(3);
    const charts = sampleReport().tokens.charts;
    expect(count(html, /<rect class="bar( hot)?"/g)).toBe((charts?.bitBias.length ?? 0) + 5);
    expect(count(html, /<rect class="cell"/g)).toBeGreaterThan(50);
    expect(html).toContain('class="floor"');
    expect(html).toContain("policy floor 64 bits");
    expect(renderHtml(sampleReport(), { minEntropyBits: 96 })).toContain("policy floor 96 bits");
  });

  it("says so in a sentence when the token charts are absent", () => {
    const base = sampleReport();
    const { charts: _charts, ...tokens } = base.tokens;
    const out = renderHtml({ ...base, tokens });
    expect(count(out, /<svg /g)).toBe(0);
    expect(out).toContain("No per-position statistics were recorded for this run");
  });

  it("escapes every model string: hostile evidence renders as text", () => {
    const out = renderHtml(hostileReport());
    expect(out).not.toMatch(/<script|<img|<svg onload/i);
    expect(out).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(out).not.toContain('href="javascript:');
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&quot;&gt;&lt;img onerror=alert(1) src=x&gt;");
    expect(out).toContain("&lt;svg onload=alert(1)&gt;");
    // Markup split across the inline-code rule stays escaped too.
    expect(out).toContain(
      `<code>${IMG.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</code>`,
    );
    expect(out.split(SCRIPT)).toHaveLength(1);
  });

  it("renders a clean audit sensibly", () => {
    const out = renderHtml(emptyReport());
    expect(out).toContain(
      '<div class="risk sev-none"><div class="label">Overall risk</div><div class="value">None</div>',
    );
    expect(out).toContain("No findings: no check reported a vulnerability in this run.");
    expect(out).toContain("No tokens were sampled in this run");
    expect(out).toContain("No session management flaws were confirmed");
    expect(count(out, /<svg /g)).toBe(0);
    expect(count(out, /<article /g)).toBe(0);
  });
});
