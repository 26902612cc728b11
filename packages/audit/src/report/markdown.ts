import {
  checkTitle,
  closingParagraph,
  codeLanguage,
  confidenceLabel,
  evidenceLanguage,
  formatDuration,
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
import { type TokenSection, tokenSection } from "./lib/tokens.js";
import { type Finding, type Report, SEVERITIES } from "./model.js";
import type { RenderOptions } from "./options.js";

// Model strings carry attacker-controlled response excerpts. Escaping `\ < > [ ]`
// keeps them from becoming raw HTML, autolinks or links in any CommonMark
// viewer; backslash first, or an input `\<` would un-escape our `\<`.
function text(s: string): string {
  return s.replace(/[\\<>[\]]/g, (c) => `\\${c}`);
}

// Table cells additionally may not contain pipes or line breaks.
function cell(s: string): string {
  return text(s).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

// Inline code: a fence of backticks longer than any run inside, padded when the content touches a backtick.
function code(s: string): string {
  const single = s.replace(/\r?\n/g, " ");
  const run = Math.max(0, ...[...single.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(run + 1);
  const pad = single.startsWith("`") || single.endsWith("`") ? " " : "";
  return `${ticks}${pad}${single}${pad}${ticks}`;
}

// A fenced block longer than any backtick run inside, so content can never close it early.
function fence(content: string, lang: string, indent = ""): string {
  const run = Math.max(0, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const ticks = "`".repeat(Math.max(3, run + 1));
  const body = content.replace(/\r\n/g, "\n").replace(/\n+$/, "");
  return [`${ticks}${lang}`, ...body.split("\n"), ticks].map((l) => (l === "" ? l : indent + l)).join("\n");
}

function link(url: string, cweNames: Finding["cweNames"] = {}): string {
  const label = referenceLabel(url, cweNames);
  if (!isHttpUrl(url)) return text(url);
  return `[${text(label)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

function findingAnchor(index: number, f: Finding): string {
  return `finding-${index + 1}-${f.id}`.replace(/[^\w-]/g, "");
}

function renderFinding(f: Finding, index: number, results: Report["results"]): string[] {
  const out: string[] = [];
  out.push(`<a id="${findingAnchor(index, f)}"></a>`, "");
  out.push(`### ${index + 1}. ${text(f.title)} — ${SEVERITY_LABEL[f.severity] ?? text(f.severity)}`, "");
  const cwe = f.cwe.map((n) => `[CWE-${n}](https://cwe.mitre.org/data/definitions/${n}.html)`).join(", ");
  out.push(
    [
      `**Severity:** ${SEVERITY_LABEL[f.severity] ?? text(f.severity)}`,
      `**Confidence:** ${confidenceLabel(f.confidence)}`,
      `**Check:** ${code(f.id)}`,
      `**Code:** ${code(f.code)}`,
      cwe === "" ? undefined : `**CWE:** ${cwe}`,
      f.asvs.length === 0 ? undefined : `**OWASP ASVS 5.0:** ${f.asvs.map(text).join(", ")}`,
    ]
      .filter((x) => x !== undefined)
      .join(" · "),
    "",
  );
  const reason = results.find((r) => r.id === f.id)?.reason;
  if (reason !== undefined && !f.description.includes(reason)) out.push(`> **Observed:** ${cell(reason)}`, "");

  out.push("#### Description of the Vulnerability", "", text(f.description), "");
  out.push("#### Impact", "", text(f.impact), "");
  out.push("#### Likelihood", "", text(f.likelihood), "");

  out.push("#### Evidence", "");
  if (f.evidence.length === 0) out.push("_No evidence was recorded for this finding._", "");
  for (const e of f.evidence) out.push(fence(e, evidenceLanguage(e)), "");

  out.push("#### Steps to Reproduce", "");
  if (f.reproduce.length === 0) out.push("_No automated reproduction is available; see the evidence above._", "");
  f.reproduce.forEach((step, i) => {
    if (isCommandStep(step)) out.push(`${i + 1}. Run:`, "", fence(step, "sh", "   "), "");
    else out.push(`${i + 1}. ${text(step)}`, "");
  });

  out.push("#### Recommendations for Developers", "", text(f.recommendation), "");
  for (const fix of f.fixes) {
    out.push(`**${text(platformLabel(fix.platform))}**`, "", fence(fix.code, codeLanguage(fix.platform, fix.code)), "");
  }

  out.push("#### Verification", "", "After the fix, re-run this check:", "", fence(f.verification, "sh"), "");
  if (f.retest !== undefined && f.retest !== "") out.push(`Expected: ${text(f.retest)}`, "");

  out.push("#### References", "");
  if (f.references.length === 0) out.push("_None._");
  for (const r of f.references) out.push(`- ${link(r, f.cweNames)}`);
  out.push("");
  return out;
}

function renderTokens(t: TokenSection): string[] {
  const out: string[] = ["## Token analysis", ""];
  out.push("| Measure | Value |", "| --- | --- |");
  for (const row of t.figures) out.push(`| ${cell(row.label)} | ${cell(row.value)} |`);
  out.push("");
  if (t.verdict !== undefined) out.push(`**Verdict:** ${text(t.verdict)}`, "");
  if (t.estimates.length > 0) {
    out.push("| Estimator | Bits per token | Against the policy floor |", "| --- | ---: | --- |");
    for (const e of t.estimates) {
      out.push(`| ${cell(e.label)} | ${e.bitsText} | ${e.belowFloor ? "**below**" : "meets"} (${t.floor} bits) |`);
    }
    out.push("");
  }
  if (t.significance.length > 0) {
    out.push("| Significance level | Effective entropy |", "| --- | ---: |");
    for (const s of t.significance) out.push(`| ${cell(s.level)} | ${s.bitsText} |`);
    out.push("");
  }
  if (t.bias !== undefined) out.push(text(t.bias.summary), "");
  if (t.distribution !== undefined) out.push(text(t.distribution.summary), "");
  if (t.chartsNote !== undefined) out.push(`_${text(t.chartsNote)}_`, "");
  else out.push("_The HTML report charts the bit bias, the character distribution and the entropy estimates._", "");
  if (t.predicted.length > 0) {
    out.push("**Predicted next tokens** (redacted: a correct prediction is a live credential):", "");
    for (const p of t.predicted) out.push(`- ${code(p)}`);
    out.push("");
  }
  if (t.warnings.length > 0) {
    out.push("**Warnings:**", "");
    for (const w of t.warnings) out.push(`- ${text(w)}`);
    out.push("");
  }
  return out;
}

/**
 * Renders the report as Markdown in the structure of the report template
 * (seeds/000): executive summary, check results, then per finding the
 * description, impact, likelihood, evidence, steps to reproduce,
 * recommendations, verification and references; token analysis and the
 * verification command close it. Pure: no I/O, no redaction (the engine
 * redacts the model before rendering).
 */
export function renderMarkdown(report: Report, options: RenderOptions = {}): string {
  const findings = sortedFindings(report.findings);
  const duration = runDuration(report);
  const out: string[] = [`# ${REPORT_TITLE}`, ""];

  out.push("| | |", "| --- | --- |");
  out.push(`| Target | ${code(report.target)} |`);
  out.push(`| Overall risk | **${(RISK_LABEL[report.summary.risk] ?? cell(report.summary.risk)).toUpperCase()}** |`);
  out.push(`| Started | ${cell(formatTimestamp(report.startedAt))} |`);
  out.push(`| Finished | ${cell(formatTimestamp(report.finishedAt))} |`);
  if (duration !== null) out.push(`| Duration | ${formatDuration(duration)} |`);
  if (report.scan !== undefined) {
    out.push(`| HTTP requests | ${report.scan.requests} |`);
    out.push(
      `| Session cookie | ${report.scan.sessionCookie === null ? "not identified" : code(report.scan.sessionCookie)} |`,
    );
  }
  out.push(`| Tool | sessionguard ${cell(report.version)} |`, "");

  out.push("## Executive Summary", "");
  for (const p of summaryParagraphs(report)) out.push(text(p), "");
  out.push("| Severity | Findings |", "| --- | ---: |");
  for (const s of SEVERITIES) out.push(`| ${SEVERITY_LABEL[s]} | ${report.summary.counts[s] ?? 0} |`);
  out.push("");
  if (findings.length > 0) {
    out.push("| # | Finding | Severity | Confidence |", "| ---: | --- | --- | --- |");
    findings.forEach((f, i) => {
      out.push(
        `| ${i + 1} | [${cell(f.title)}](#${findingAnchor(i, f)}) | ${SEVERITY_LABEL[f.severity] ?? cell(f.severity)} | ${confidenceLabel(f.confidence)} |`,
      );
    });
    out.push("");
  }

  out.push("## Check results", "");
  out.push("| Check | Status | Reason |", "| --- | --- | --- |");
  for (const r of report.results) {
    const status = STATUS_LABEL[r.status] ?? r.status;
    out.push(
      `| ${cell(checkTitle(report, r.id))} (${code(r.id)}) | ${r.status === "vulnerable" ? `**${status}**` : status} | ${cell(r.reason)} |`,
    );
  }
  out.push("");

  out.push("## Findings", "");
  if (findings.length === 0) out.push("No findings: no check reported a vulnerability in this run.", "");
  findings.forEach((f, i) => {
    out.push(...renderFinding(f, i, report.results));
  });

  out.push(...renderTokens(tokenSection(report, options)));

  out.push("## Verification", "");
  out.push(
    findings.length > 0
      ? "Re-run the audit against the same target once the fixes are deployed:"
      : "Re-run the audit after changes to authentication, session handling or infrastructure:",
    "",
  );
  out.push(fence(verificationCommand(report), "sh"), "");
  if (findings.length > 0) {
    out.push("Each finding is closed when its check reports `passed`:", "");
    for (const f of findings) {
      out.push(
        `- ${f.retest === undefined || f.retest === "" ? `${code(f.id)}: ${code(f.verification)}` : text(f.retest)}`,
      );
    }
    out.push("");
  }

  out.push("## Conclusion", "", text(closingParagraph(report)), "");
  out.push(
    "---",
    "",
    `_Generated by sessionguard ${text(report.version)} on ${text(formatTimestamp(report.finishedAt))}._`,
    "",
  );
  return out.join("\n");
}
