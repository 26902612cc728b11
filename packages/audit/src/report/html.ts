import { bitBiasChart, charHeatmap, entropyChart } from "./lib/charts.js";
import { type Html, type HtmlValue, html, join, trusted } from "./lib/html-template.js";
import {
  checkTitle,
  closingParagraph,
  codeLanguage,
  confidenceLabel,
  formatDuration,
  formatNumber,
  formatTimestamp,
  isCommandStep,
  isHttpUrl,
  platformLabel,
  REPORT_TITLE,
  RISK_LABEL,
  referenceLabel,
  runDuration,
  SEVERITY_LABEL,
  STATUS_LABEL,
  sortedFindings,
  summaryParagraphs,
  verificationCommand,
} from "./lib/text.js";
import { timelineChart } from "./lib/timeline.js";
import { type TokenSection, tokenSection } from "./lib/tokens.js";
import { type Finding, type Report, SEVERITIES } from "./model.js";
import type { RenderOptions } from "./options.js";

// The report is opened from disk, mail attachments and CI artifacts: nothing may load or run.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--ink:#0f172a;--muted:#475569;--line:#e2e8f0;--soft:#f8fafc;--accent:#1e3a8a;
--critical:#7f1d1d;--high:#dc2626;--medium:#ea580c;--low:#a16207;--info:#2563eb;--none:#15803d}
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
.page{max-width:1060px;margin:0 auto;padding:36px 44px 64px}
a{color:var(--accent)}
header.cover{border-bottom:4px solid var(--accent);padding-bottom:22px;margin-bottom:8px}
.eyebrow{text-transform:uppercase;letter-spacing:.14em;font-size:12px;color:var(--muted);margin:0}
h1{font-size:28px;line-height:1.25;margin:6px 0 18px}
h2{font-size:21px;margin:44px 0 14px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:19px;line-height:1.35;margin:0 0 10px;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
h4{font-size:12.5px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:22px 0 6px}
p{margin:0 0 10px}
.cover-grid{display:grid;grid-template-columns:1fr auto;gap:24px;align-items:start}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;margin:0}
dl.meta dt{color:var(--muted)}dl.meta dd{margin:0;overflow-wrap:anywhere}
.risk{border-radius:10px;padding:14px 22px;color:#fff;text-align:center;min-width:170px}
.risk .label{font-size:12px;text-transform:uppercase;letter-spacing:.12em;opacity:.9}
.risk .value{font-size:26px;font-weight:800;letter-spacing:.02em}
.badge{display:inline-block;padding:2px 10px;border-radius:999px;font-size:11.5px;font-weight:700;color:#fff;text-transform:uppercase;letter-spacing:.06em;white-space:nowrap}
.sev-critical{background:var(--critical)}.sev-high{background:var(--high)}.sev-medium{background:var(--medium)}
.sev-low{background:var(--low)}.sev-info{background:var(--info)}.sev-none{background:var(--none)}
.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin:18px 0 8px}
.card{border:1px solid var(--line);border-top:5px solid;border-radius:8px;padding:10px 14px;background:#fff}
.card .n{font-size:28px;font-weight:800;line-height:1.2}.card .l{color:var(--muted);font-size:13px}
.c-critical{border-top-color:var(--critical)}.c-high{border-top-color:var(--high)}.c-medium{border-top-color:var(--medium)}
.c-low{border-top-color:var(--low)}.c-info{border-top-color:var(--info)}
nav.toc{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:14px 22px;margin-top:26px}
nav.toc h2{border:0;margin:0 0 6px;padding:0;font-size:15px;text-transform:uppercase;letter-spacing:.1em;color:var(--muted)}
nav.toc ol{margin:0;padding-left:22px}nav.toc ol ol{padding-left:18px;font-size:14px}
nav.toc a{text-decoration:none}nav.toc a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0 14px}
th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
th{background:var(--soft);font-weight:600}
tr.vuln td{background:#fef2f2}
td.num,th.num{text-align:right}
.status{font-weight:700;white-space:nowrap}
.st-vulnerable{color:var(--high)}.st-passed{color:var(--none)}.st-inconclusive{color:var(--medium)}
.st-skipped,.st-not-applicable{color:var(--muted)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
:not(pre)>code{background:#eef2f7;border-radius:4px;padding:1px 5px;overflow-wrap:anywhere}
pre{background:#0f172a;color:#e2e8f0;padding:12px 14px;border-radius:6px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:6px 0 12px;line-height:1.5}
pre.evidence{background:#f1f5f9;color:var(--ink);border-left:4px solid #94a3b8}
.finding{border:1px solid var(--line);border-left:7px solid;border-radius:10px;padding:22px 26px;margin:26px 0}
.f-critical{border-left-color:var(--critical)}.f-high{border-left-color:var(--high)}.f-medium{border-left-color:var(--medium)}
.f-low{border-left-color:var(--low)}.f-info{border-left-color:var(--info)}
dl.facts{display:flex;flex-wrap:wrap;gap:6px 26px;margin:0 0 12px;font-size:14px}
dl.facts div{display:flex;gap:6px}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.observed{background:#fff7ed;border-left:4px solid var(--medium);padding:8px 12px;border-radius:4px}
ol.steps{padding-left:22px}ol.steps li{margin-bottom:6px}
.fix-label{font-weight:700;font-size:13.5px;margin-top:12px}
.retest{color:var(--muted);font-size:14px}
ul.refs{padding-left:20px;margin:0}ul.refs li{overflow-wrap:anywhere}
dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0 0 14px}
dl.figures dt{color:var(--muted)}dl.figures dd{margin:0}
figure{margin:18px 0 26px}figcaption{color:var(--muted);font-size:13.5px;margin-top:6px}
figure h4{margin-top:0}
svg.chart{max-width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:8px;background:#fff}
.note{color:var(--muted);font-style:italic}
ul.warnings li{color:#9a3412}
.conclusion{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:16px 20px}
footer{margin-top:48px;color:var(--muted);font-size:13px;border-top:1px solid var(--line);padding-top:12px}
@media (max-width:760px){.page{padding:18px}.cards{grid-template-columns:repeat(2,1fr)}.cover-grid{grid-template-columns:1fr}}
@page{margin:16mm 14mm}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:10.5pt}.page{padding:0;max-width:none}
nav.toc{break-after:page}
.finding{break-before:page;border-radius:0}
h2,h3,h4,.fix-label{break-after:avoid}
figure,tr,.card{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
`;

// Paragraphs at blank lines, line breaks kept, `code` spans as <code>.
function prose(s: string): Html {
  return join(
    s
      .split(/\r?\n\s*\r?\n/)
      .filter((p) => p.trim() !== "")
      .map((p) => html`<p>${join(p.split(/\r?\n/).map(inline), html`<br>`)}</p>`),
  );
}

// Text with `code` spans: split() alternates plain text and the span contents.
function inline(s: string): Html {
  return join(s.split(/`([^`\n]+)`/).map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part)));
}

function link(url: string, cweNames: Finding["cweNames"] = {}, label = referenceLabel(url, cweNames)): Html {
  return isHttpUrl(url) ? html`<a href="${url}" rel="noopener noreferrer">${label}</a>` : html`${url}`;
}

function badge(severity: string, label: string): Html {
  return html`<span class="badge sev-${severity}">${label}</span>`;
}

function pre(content: string, cls: string, lang?: string): Html {
  const code = lang === undefined ? html`<code>` : html`<code class="language-${lang}">`;
  return html`<pre class="${cls}">${code}${content}</code></pre>`;
}

function anchor(index: number, f: Finding): string {
  return `finding-${index + 1}-${f.id}`.replace(/[^\w-]/g, "");
}

function definitions(rows: readonly (readonly [string, HtmlValue])[], wrap: boolean): Html {
  return join(
    rows.map(([k, v]) => (wrap ? html`<div><dt>${k}</dt><dd>${v}</dd></div>` : html`<dt>${k}</dt><dd>${v}</dd>`)),
  );
}

function cover(report: Report): Html {
  const duration = runDuration(report);
  const rows: [string, HtmlValue][] = [
    ["Target", html`<code>${report.target}</code>`],
    ["Started", formatTimestamp(report.startedAt)],
    ["Finished", formatTimestamp(report.finishedAt)],
  ];
  if (duration !== null) rows.push(["Duration", formatDuration(duration)]);
  if (report.scan !== undefined) {
    rows.push(["HTTP requests", report.scan.requests]);
    rows.push([
      "Session cookie",
      report.scan.sessionCookie === null ? "not identified" : html`<code>${report.scan.sessionCookie}</code>`,
    ]);
  }
  rows.push(["Tool", `sessionguard ${report.version}`]);
  const risk = report.summary.risk;
  return html`<header class="cover"><p class="eyebrow">sessionguard · security assessment</p><h1>${REPORT_TITLE}</h1><div class="cover-grid"><dl class="meta">${definitions(rows, false)}</dl><div class="risk sev-${risk}"><div class="label">Overall risk</div><div class="value">${RISK_LABEL[risk] ?? risk}</div></div></div></header>`;
}

function toc(findings: readonly Finding[]): Html {
  const items = findings.map(
    (f, i) =>
      html`<li><a href="#${anchor(i, f)}">${f.title}</a> ${badge(f.severity, SEVERITY_LABEL[f.severity] ?? f.severity)}</li>`,
  );
  return html`<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol><li><a href="#summary">Executive Summary</a></li><li><a href="#results">Check results</a></li><li><a href="#findings">Findings</a>${items.length === 0 ? "" : html`<ol>${items}</ol>`}</li><li><a href="#tokens">Token analysis</a></li><li><a href="#verification">Verification</a></li><li><a href="#conclusion">Conclusion</a></li></ol></nav>`;
}

function summary(report: Report): Html {
  const cards = SEVERITIES.map(
    (s) =>
      html`<div class="card c-${s}"><div class="n">${report.summary.counts[s] ?? 0}</div><div class="l">${SEVERITY_LABEL[s]}</div></div>`,
  );
  return html`<section id="summary"><h2>Executive Summary</h2>${summaryParagraphs(report).map((p) => html`<p>${inline(p)}</p>`)}<div class="cards" aria-label="Findings per severity">${cards}</div></section>`;
}

function results(report: Report): Html {
  const rows = report.results.map(
    (r) =>
      html`<tr${r.status === "vulnerable" ? html` class="vuln"` : ""}><td>${checkTitle(report, r.id)}<br><code>${r.id}</code></td><td><span class="status st-${r.status}">${STATUS_LABEL[r.status] ?? r.status}</span></td><td>${inline(r.reason)}</td></tr>`,
  );
  return html`<section id="results"><h2>Check results</h2><p>Every check of this audit with its outcome. Only <em>vulnerable</em> results are findings; <em>inconclusive</em> and <em>skipped</em> checks are not evidence of safety.</p><table><thead><tr><th>Check</th><th>Status</th><th>Reason</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function finding(f: Finding, index: number, report: Report): Html {
  const id = anchor(index, f);
  const sev = SEVERITY_LABEL[f.severity] ?? f.severity;
  const facts: [string, HtmlValue][] = [
    ["Check", html`<code>${f.id}</code>`],
    ["Code", html`<code>${f.code}</code>`],
    ["Confidence", confidenceLabel(f.confidence)],
  ];
  if (f.cwe.length > 0) {
    facts.push([
      "CWE",
      join(
        f.cwe.map((n) => link(`https://cwe.mitre.org/data/definitions/${n}.html`, {}, `CWE-${n}`)),
        html`, `,
      ),
    ]);
  }
  if (f.asvs.length > 0) facts.push(["OWASP ASVS 5.0", f.asvs.join(", ")]);
  const reason = report.results.find((r) => r.id === f.id)?.reason;
  const observed =
    reason !== undefined && !f.description.includes(reason)
      ? html`<p class="observed"><strong>Observed:</strong> ${inline(reason)}</p>`
      : "";
  const timeline =
    f.timeline === undefined
      ? ""
      : // The timeline is SVG built by our own code, which escapes every label it draws.
        html`<figure><h4>Timeline</h4>${trusted(timelineChart(f.timeline, `${f.id} · ${f.severity}`))}<figcaption>Each row is a client of the session (blue: the client that started it, red: the others); each dot is a cited log line at its log time.</figcaption></figure>`;
  const evidence =
    f.evidence.length === 0
      ? html`<p class="note">No evidence was recorded for this finding.</p>`
      : [timeline, ...f.evidence.map((e) => pre(e, "evidence"))];
  const steps =
    f.reproduce.length === 0
      ? html`<p class="note">No automated reproduction is available; see the evidence above.</p>`
      : html`<ol class="steps">${f.reproduce.map((s) => html`<li>${isCommandStep(s) ? pre(s, "command", "sh") : inline(s)}</li>`)}</ol>`;
  const fixes = f.fixes.map(
    (x) =>
      html`<div class="fix"><div class="fix-label">${platformLabel(x.platform)}</div>${pre(x.code, "code", codeLanguage(x.platform, x.code))}</div>`,
  );
  const refs =
    f.references.length === 0
      ? html`<p class="note">None.</p>`
      : html`<ul class="refs">${f.references.map((r) => html`<li>${link(r, f.cweNames)}</li>`)}</ul>`;
  const retest =
    f.retest === undefined || f.retest === "" ? "" : html`<p class="retest">Expected: ${inline(f.retest)}</p>`;
  return html`<article class="finding f-${f.severity}" id="${id}" aria-labelledby="${id}-h"><h3 id="${id}-h">${badge(f.severity, sev)}<span>${index + 1}. ${f.title}</span></h3><dl class="facts">${definitions(facts, true)}</dl>${observed}<h4>Description of the Vulnerability</h4>${prose(f.description)}<h4>Impact</h4>${prose(f.impact)}<h4>Likelihood</h4>${prose(f.likelihood)}<h4>Evidence</h4>${evidence}<h4>Steps to Reproduce</h4>${steps}<h4>Recommendations for Developers</h4>${prose(f.recommendation)}${fixes}<h4>Verification</h4><p>After the fix, re-run this check:</p>${pre(f.verification, "command", "sh")}${retest}<h4>References</h4>${refs}</article>`;
}

function tokens(t: TokenSection): Html {
  const parts: HtmlValue[] = [
    html`<dl class="figures">${t.figures.map((f) => html`<dt>${f.label}</dt><dd>${inline(f.value)}</dd>`)}</dl>`,
  ];
  if (t.verdict !== undefined) parts.push(html`<p><strong>Verdict:</strong> ${inline(t.verdict)}</p>`);
  if (t.chartsNote !== undefined) {
    parts.push(html`<p class="note">${t.chartsNote}</p>`);
  } else {
    // The charts are SVG built by our own code, which escapes every label it draws.
    parts.push(
      t.bias === undefined
        ? html`<p class="note">No bit-level statistics were recorded, so the bit-bias chart is omitted.</p>`
        : html`<figure><h4>Bit bias per analysed position</h4>${trusted(bitBiasChart(t.bias.values, t.bias.bound))}<figcaption>${t.bias.summary} A CSPRNG keeps every bar near zero; red bars lie above the bound a fair bit would reach once in a thousand samples.</figcaption></figure>`,
    );
    parts.push(
      t.distribution === undefined
        ? html`<p class="note">No per-position character counts were recorded, so the distribution heat map is omitted.</p>`
        : html`<figure><h4>Character distribution per analysed position</h4>${trusted(charHeatmap(t.distribution.columns))}<figcaption>${t.distribution.summary} Uniform shading means every character is equally likely; dark cells mark characters a position prefers.</figcaption></figure>`,
    );
    parts.push(
      t.bars.length === 0
        ? html`<p class="note">No entropy estimates were recorded.</p>`
        : html`<figure><h4>Entropy estimates against the policy floor</h4>${trusted(entropyChart(t.bars, t.floor))}<figcaption>Bits of entropy per token: the raw length, each min-entropy estimator (NIST SP 800-90B style) and the effective figure the verdict uses. Red bars fall below the policy floor of ${t.floor} bits; ASVS 7.2.3 asks for 128.</figcaption></figure>`,
    );
  }
  if (t.significance.length > 0) {
    parts.push(
      html`<table><thead><tr><th>Significance level</th><th class="num">Effective entropy</th></tr></thead><tbody>${t.significance.map((s) => html`<tr><td>${s.level}</td><td class="num">${s.bitsText}</td></tr>`)}</tbody></table>`,
    );
  }
  if (t.predicted.length > 0) {
    parts.push(
      html`<h4>Predicted next tokens</h4><p>Redacted: a correct prediction is a live credential.</p><ul>${t.predicted.map((p) => html`<li><code>${p}</code></li>`)}</ul>`,
    );
  }
  if (t.warnings.length > 0) {
    parts.push(html`<h4>Warnings</h4><ul class="warnings">${t.warnings.map((w) => html`<li>${inline(w)}</li>`)}</ul>`);
  }
  return html`<section id="tokens"><h2>Token analysis</h2>${parts}</section>`;
}

function verification(report: Report, findings: readonly Finding[]): Html {
  const retests = findings.map(
    (f) =>
      html`<li>${f.retest === undefined || f.retest === "" ? html`<code>${f.id}</code>: <code>${f.verification}</code>` : inline(f.retest)}</li>`,
  );
  return html`<section id="verification"><h2>Verification</h2>${
    findings.length > 0
      ? html`<p>Re-run the audit against the same target once the fixes are deployed:</p>`
      : html`<p>Re-run the audit after changes to authentication, session handling or infrastructure:</p>`
  }${pre(verificationCommand(report), "command", "sh")}${retests.length === 0 ? "" : html`<p>Each finding is closed when its check reports <em>passed</em>:</p><ul>${retests}</ul>`}</section>`;
}

/**
 * Renders the report as one self-contained HTML page: inline CSS, inline SVG
 * charts, no script and no external resource (enforced by a CSP meta tag),
 * readable on screen and in print. Follows the report template (seeds/000)
 * like {@link renderMarkdown}. Built with the escaping {@link html} template:
 * every model string is escaped unless markup is explicitly trusted (only the
 * SVG charts and the style sheet, both our own). Pure: no I/O.
 */
export function renderHtml(report: Report, options: RenderOptions = {}): string {
  const findings = sortedFindings(report.findings);
  const nl = html`
`;
  const body = join(
    [
      cover(report),
      toc(findings),
      html`<main>`,
      summary(report),
      results(report),
      html`<section id="findings"><h2>Findings</h2>`,
      findings.length === 0
        ? html`<p class="note">No findings: no check reported a vulnerability in this run.</p>`
        : findings.map((f, i) => finding(f, i, report)),
      html`</section>`,
      tokens(tokenSection(report, options)),
      verification(report, findings),
      html`<section id="conclusion"><h2>Conclusion</h2><div class="conclusion">${prose(closingParagraph(report))}</div></section>`,
      html`</main>`,
      html`<footer>Generated by sessionguard ${report.version} on ${formatTimestamp(report.finishedAt)} · ${formatNumber(report.results.length, 0)} checks · target <code>${report.target}</code></footer>`,
    ],
    nl,
  );
  return join(
    [
      html`<!doctype html>`,
      html`<html lang="en">`,
      html`<head>`,
      html`<meta charset="utf-8">`,
      html`<meta http-equiv="Content-Security-Policy" content="${trusted(CSP)}">`,
      html`<meta name="viewport" content="width=device-width, initial-scale=1">`,
      html`<meta name="referrer" content="no-referrer">`,
      html`<meta name="generator" content="sessionguard ${report.version}">`,
      html`<title>${`Session management report — ${report.target}`}</title>`,
      html`<style>${trusted(CSS)}</style>`,
      html`</head>`,
      html`<body>`,
      html`<div class="page">${body}</div>`,
      html`</body>`,
      html`</html>`,
      html``,
    ],
    nl,
  ).toString();
}
