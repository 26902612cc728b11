import { formatDuration } from "../../config/duration.js";
import {
  type CheckStatus,
  type Finding,
  type Report,
  type Risk,
  type Rule,
  SEVERITIES,
  type Severity,
} from "../model.js";
import { DEFAULT_MIN_ENTROPY_BITS, type RenderOptions } from "../options.js";

/** Title of the Markdown and HTML reports, after the seed template's heading. */
export const REPORT_TITLE = "Session Management Flaws — Security Assessment Report";

/** Display names of severities. */
export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  info: "Info",
};

/** Display names of the overall risk. */
export const RISK_LABEL: Readonly<Record<Risk, string>> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
  none: "None",
};

/** Display names of check statuses. */
export const STATUS_LABEL: Readonly<Record<CheckStatus, string>> = {
  vulnerable: "Vulnerable",
  passed: "Passed",
  inconclusive: "Inconclusive",
  "not-applicable": "Not applicable",
  skipped: "Skipped",
};

const CONFIDENCE_LABEL: Readonly<Record<Finding["confidence"], string>> = {
  confirmed: "Confirmed",
  firm: "Firm",
  tentative: "Tentative",
};

/** Display name of a confidence level. */
export function confidenceLabel(confidence: Finding["confidence"]): string {
  return CONFIDENCE_LABEL[confidence] ?? String(confidence);
}

/**
 * The report's description of a rule, or `undefined` when the report does not
 * list it (reports may come from another producer or a hand-edited JSON file).
 */
export function ruleOf(report: Report, id: string): Rule | undefined {
  return (report.rules ?? []).find((r) => r.id === id);
}

/** The title of a rule as the report lists it, or the id itself when unknown. */
export function checkTitle(report: Report, id: string): string {
  return ruleOf(report, id)?.title ?? id;
}

/** Findings ordered by severity (highest first), keeping the engine's order within a severity. */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  const rank = (s: Severity): number => {
    const i = SEVERITIES.indexOf(s);
    return i < 0 ? SEVERITIES.length : i;
  };
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank(a.finding.severity) - rank(b.finding.severity) || a.index - b.index)
    .map((x) => x.finding);
}

/** `2025-06-02 14:03:12 UTC`; anything unparsable is shown as given. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "")} UTC`;
}

/** Wall time of the run in ms, from the scan record or the timestamps; `null` when neither is usable. */
export function runDuration(report: Report): number | null {
  if (report.scan !== undefined) return report.scan.durationMs;
  const d = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return Number.isFinite(d) && d >= 0 ? d : null;
}

/** Number with at most `digits` decimals and no trailing zeros. */
export function formatNumber(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toFixed(digits)));
}

/** `1 check`, `2 checks`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Number of results per status. */
export function statusCounts(report: Report): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = {
    vulnerable: 0,
    passed: 0,
    inconclusive: 0,
    "not-applicable": 0,
    skipped: 0,
  };
  for (const r of report.results) if (r.status in counts) counts[r.status]++;
  return counts;
}

/** The policy floor in bits the charts and texts compare against. */
export function minEntropyBits(options: RenderOptions): number {
  return options.minEntropyBits ?? DEFAULT_MIN_ENTROPY_BITS;
}

/** The command that re-runs this audit; the engine records it, otherwise the plain form of SPEC §2.1. */
export function verificationCommand(report: Report): string {
  return report.verification ?? `npx sessionguard audit ${shellQuote(report.target)}`;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * The executive summary in plain words (seed template: what was tested, the
 * overall risk, the worst findings by name), one string per paragraph.
 */
export function summaryParagraphs(report: Report): string[] {
  const s = statusCounts(report);
  const duration = runDuration(report);
  const requests = report.scan === undefined ? "" : `, ${plural(report.scan.requests, "request")}`;
  const when = `${formatTimestamp(report.startedAt)}${duration === null ? "" : ` (${formatDuration(duration)}${requests})`}`;
  const unfinished = s.inconclusive + s.skipped + s["not-applicable"];
  const paragraphs = [
    `sessionguard tested the session management of ${report.target} on ${when}. ` +
      `It ran ${plural(report.results.length, "check")}: ${s.vulnerable} found a vulnerability, ${s.passed} passed` +
      (unfinished > 0
        ? `, ${s.inconclusive} ${s.inconclusive === 1 ? "was" : "were"} inconclusive and ${s.skipped + s["not-applicable"]} ${s.skipped + s["not-applicable"] === 1 ? "was" : "were"} skipped or not applicable.`
        : "."),
  ];
  const findings = sortedFindings(report.findings);
  if (findings.length === 0) {
    paragraphs.push(
      "No session management flaw was found: the overall risk is none. The application issued, protected and ended sessions as the checks expect.",
    );
  } else {
    const counts = SEVERITIES.filter((sev) => (report.summary.counts[sev] ?? 0) > 0).map(
      (sev) => `${report.summary.counts[sev]} ${SEVERITY_LABEL[sev].toLowerCase()}`,
    );
    const worst = findings
      .slice(0, 3)
      .map((f) => `${f.headline ?? f.title.toLowerCase()} (${f.title}, ${SEVERITY_LABEL[f.severity] ?? f.severity})`);
    paragraphs.push(
      `The overall risk is ${RISK_LABEL[report.summary.risk] ?? report.summary.risk}. The audit found ${plural(findings.length, "finding")}` +
        `${counts.length > 0 ? ` (${joinAnd(counts)})` : ""}. The most serious: ${worst.join("; ")}.`,
      "Session management flaws let attackers hijack user sessions, impersonate legitimate users or keep access they should have lost. " +
        "Each finding below describes the vulnerability, its impact and likelihood, how to reproduce it, how to fix it and how to verify the fix.",
    );
  }
  const open = report.results.filter((r) => r.status === "inconclusive" || r.status === "skipped");
  if (open.length > 0) {
    paragraphs.push(
      `${plural(open.length, "check")} could not reach a verdict (${open.map((r) => r.id).join(", ")}); ` +
        "that is not evidence that those areas are safe — the check results below give the reason for each.",
    );
  }
  return paragraphs;
}

/** The closing paragraph, after the seed template's ("Addressing … is critical …"). */
export function closingParagraph(report: Report): string {
  const findings = sortedFindings(report.findings);
  if (findings.length === 0) {
    return (
      "No session management flaws were confirmed in this audit. Session handling changes with every release: " +
      "keep this audit in the delivery pipeline and re-run it after changes to authentication, session configuration or infrastructure."
    );
  }
  const actions = [...new Set(findings.map((f) => f.action).filter((a): a is string => a !== undefined && a !== ""))];
  const shown = actions.slice(0, 5);
  if (actions.length > shown.length) shown.push("applying the other fixes listed above");
  const by = shown.length > 0 ? `By ${joinAnd(shown)}, we` : "By applying the fixes listed above, we";
  return (
    "Addressing these session management flaws is critical to protecting against session hijacking, data breaches and the compromise of user accounts. " +
    `${by} can mitigate the risks described in this report and strengthen the overall security posture of the application. ` +
    "Re-run the verification command once the fixes are deployed to confirm that each finding is closed."
  );
}

/** True for an absolute http(s) URL, the only kind rendered as a link. */
export function isHttpUrl(s: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(s);
}

const ASVS_CHAPTERS: Readonly<Record<string, string>> = {
  V2: "V2 Validation and Business Logic",
  V3: "V3 Web Frontend Security",
  V7: "V7 Session Management",
  V9: "V9 Self-contained Tokens",
  V11: "V11 Cryptography",
  V12: "V12 Secure Communication",
  V13: "V13 Configuration",
  V14: "V14 Data Protection",
};

/**
 * A readable label for a reference URL (CWE name, cheat sheet title, ASVS
 * chapter); the URL itself otherwise.
 * @param cweNames CWE names by number, as a finding carries them
 */
export function referenceLabel(ref: string, cweNames: Readonly<Record<string, string>> = {}): string {
  let m = /^https:\/\/cwe\.mitre\.org\/data\/definitions\/(\d+)\.html$/.exec(ref);
  if (m?.[1] !== undefined) {
    const name = cweNames[m[1]];
    return name === undefined ? `CWE-${m[1]}` : `CWE-${m[1]}: ${name}`;
  }
  m = /^https:\/\/cheatsheetseries\.owasp\.org\/cheatsheets\/([\w-]+?)(?:_Cheat_Sheet)?\.html/.exec(ref);
  if (m?.[1] !== undefined) return `OWASP ${m[1].replaceAll("_", " ")} Cheat Sheet`;
  m = /^https:\/\/github\.com\/OWASP\/ASVS\/.*\/0x[0-9a-f]+-(V\d+)-/.exec(ref);
  if (m?.[1] !== undefined) return `OWASP ASVS 5.0 — ${ASVS_CHAPTERS[m[1]] ?? m[1]}`;
  m = /^https:\/\/owasp\.org\/www-project-web-security-testing-guide\/.*\/\d+-([\w-]+)$/.exec(ref);
  if (m?.[1] !== undefined) return `OWASP WSTG — ${m[1].replaceAll("_", " ")}`;
  m = /^https:\/\/www\.rfc-editor\.org\/rfc\/rfc(\d+)/.exec(ref);
  if (m?.[1] !== undefined) return `RFC ${m[1]}`;
  if (ref.startsWith("https://developer.mozilla.org/")) return `MDN — ${ref.split("/").pop() ?? ref}`;
  return ref;
}

const PLATFORM_LABEL: Readonly<Record<string, string>> = {
  "express-session": "Express (express-session)",
  php: "PHP",
  sessionguard: "sessionguard (Node.js)",
  nginx: "nginx",
  "express + jsonwebtoken": "Express (jsonwebtoken)",
};

/** Heading of a platform fix, e.g. `Express (express-session)`. */
export function platformLabel(platform: string): string {
  return PLATFORM_LABEL[platform] ?? platform;
}

/** Info string for a code fence, so viewers highlight the snippet. */
export function codeLanguage(platform: string, code: string): string {
  const p = platform.toLowerCase();
  if (p.includes("php")) {
    const lines = code.split("\n").filter((l) => l.trim() !== "");
    return lines.every((l) => /^\s*(;|[\w.]+\s*=)/.test(l)) ? "ini" : "php";
  }
  if (p.includes("nginx")) return "nginx";
  if (p.includes("sessionguard")) return "ts";
  if (p.includes("express") || p.includes("node")) return "js";
  return "text";
}

/** Raw HTTP exchanges get `http` highlighting; everything else is plain text. */
export function evidenceLanguage(evidence: string): string {
  return /^(?:[<>] )?(?:(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/|HTTP\/\d)/m.test(evidence)
    ? "http"
    : "text";
}

/** Whether a reproduce step is a command to paste (code block) or an instruction (prose). */
export function isCommandStep(step: string): boolean {
  return step.includes("\n") || /^\s*(?:(?:curl|wget|http|https|npx|node|sessionguard)\b|\$ |#)/.test(step);
}

/**
 * Largest |P(1) − 0.5| that a fair bit still shows with probability 0.999 in
 * `samples` draws (normal approximation, two-sided): bars above it are suspicious.
 */
export function noiseBound(samples: number): number {
  return samples > 0 ? (3.29 * 0.5) / Math.sqrt(samples) : Number.POSITIVE_INFINITY;
}

/** Durations in reports use the same short form as the terminal. */
export { formatDuration };
