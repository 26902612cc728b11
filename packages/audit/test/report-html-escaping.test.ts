/**
 * The HTML report is built with a template that escapes by default: hostile
 * text in any field of a finding, a result, a rule, the target or the token
 * summary arrives as text, never as markup.
 */
import { describe, expect, it } from "vitest";
import { renderHtml } from "../src/report/html.js";
import { Html, html, join, trusted } from "../src/report/lib/html-template.js";
import type { Finding, Report, Rule } from "../src/report/model.js";
import { sampleReport } from "./fixtures/sample-report.js";

/** A payload per field, tagged with the field's name so a leak says where it came from. */
const hostile = (field: string): string => `<script>${field}</script>"onmouseover=${field}// </style>'x`;

function hostileFinding(base: Finding): Finding {
  return {
    id: hostile("id"),
    code: hostile("code"),
    args: { value: hostile("args") },
    title: hostile("title"),
    severity: hostile("severity") as Finding["severity"],
    confidence: hostile("confidence") as Finding["confidence"],
    cwe: base.cwe,
    asvs: [hostile("asvs")],
    description: hostile("description"),
    impact: hostile("impact"),
    likelihood: hostile("likelihood"),
    evidence: [hostile("evidence")],
    reproduce: [hostile("reproduce"), `curl ${hostile("reproduce-command")}`],
    recommendation: hostile("recommendation"),
    fixes: [{ platform: hostile("platform"), code: hostile("fix") }],
    verification: hostile("verification"),
    references: [hostile("reference"), `https://example.com/${hostile("reference-url")}`],
    retest: hostile("retest"),
    headline: hostile("headline"),
    action: hostile("action"),
    cweNames: Object.fromEntries(base.cwe.map((n) => [String(n), hostile("cwe-name")])),
  };
}

function hostileRule(base: Rule): Rule {
  return { ...base, id: hostile("rule-id"), title: hostile("rule-title") };
}

function hostileReport(): Report {
  const base = sampleReport();
  const [first] = base.findings;
  const [rule] = base.rules;
  if (first === undefined || rule === undefined || base.tokens.charts === undefined) throw new Error("fixture");
  const finding = hostileFinding(first);
  return {
    ...base,
    version: hostile("version"),
    target: hostile("target"),
    startedAt: hostile("startedAt"),
    finishedAt: hostile("finishedAt"),
    verification: hostile("report-verification"),
    results: [
      { id: finding.id, status: "vulnerable", reason: hostile("reason") },
      { id: hostile("rule-id"), status: hostile("status") as "passed", reason: hostile("other-reason") },
      ...base.results,
    ],
    findings: [finding, ...base.findings],
    rules: [hostileRule(rule), ...base.rules],
    tokens: {
      ...base.tokens,
      generator: hostile("generator"),
      verdict: hostile("verdict"),
      predicted: [hostile("predicted")],
      warnings: [hostile("warning")],
      charts: {
        ...base.tokens.charts,
        charDistribution: [{ [hostile("char")]: 3 }, ...base.tokens.charts.charDistribution],
        estimates: { ...base.tokens.charts.estimates, [hostile("estimate")]: 20 },
        effectiveEntropyAt: { [hostile("level")]: 12 },
      },
    },
    ...(base.scan === undefined ? {} : { scan: { ...base.scan, sessionCookie: hostile("cookie") } }),
  };
}

describe("HTML escaping", () => {
  const out = renderHtml(hostileReport());

  it("lets no hostile string through as markup", () => {
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toContain('"onmouseover=');
    expect(out).not.toContain("'x");
    // The one </style> closes the report's own style sheet.
    expect(out.split("</style>")).toHaveLength(2);
    expect(out.indexOf("</style>")).toBeLessThan(out.indexOf("<body>"));
  });

  it("still shows the hostile text, escaped, where the fields are rendered", () => {
    for (const field of [
      "target",
      "code",
      "title",
      "description",
      "impact",
      "likelihood",
      "evidence",
      "reproduce",
      "recommendation",
      "platform",
      "fix",
      "verification",
      "retest",
      "reason",
      "rule-title",
      "verdict",
      "warning",
      "cookie",
    ]) {
      expect(out, field).toContain(`&lt;script&gt;${field}&lt;/script&gt;&quot;onmouseover=${field}`);
    }
  });
});

describe("the html template", () => {
  it("escapes every interpolation unless it is Html", () => {
    const user = `<b title="x">'&'</b>`;
    expect(html`<p>${user}</p>`.toString()).toBe("<p>&lt;b title=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;</p>");
    expect(html`<ul>${["<a>", html`<li>${"<b>"}</li>`]}</ul>`.toString()).toBe("<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>");
    expect(html`${null}${undefined}${false}${0}`.toString()).toBe("0");
    expect(join(["<", html`<br>`], html`,`).toString()).toBe("&lt;,<br>");
    expect(html`${trusted("<svg></svg>")}`.toString()).toBe("<svg></svg>");
  });

  it("cannot be forged from outside the template module", () => {
    expect(() => new Html(Symbol("html") as never, "<script>")).toThrow(TypeError);
    const fake = { toString: () => "<script>" };
    expect(html`${fake as never}`.toString()).toBe("&lt;script&gt;");
  });
});
