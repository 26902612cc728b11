import { createHash } from "node:crypto";
import { codeLanguage, platformLabel } from "./lib/text.js";
import type { Finding, Report, Rule, Severity } from "./model.js";

/** SARIF 2.1.0 JSON schema, as referenced by GitHub code scanning and CodeQL output. */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Where a SARIF viewer sends users who want to know about the tool. */
export const INFORMATION_URI = "https://www.npmjs.com/package/sessionguard";

/** SARIF `level` of each severity: only critical and high fail a code-scanning gate by default. */
export const SARIF_LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/**
 * GitHub code scanning's `security-severity` (CVSS-like 0.0–10.0, as a
 * string): it maps > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
export const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

// `token-predictable` → `TokenPredictable`: SARIF rule names are meant to be identifiers.
function ruleName(id: string): string {
  return id
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function helpText(entry: Rule): string {
  return [
    entry.recommendation,
    ...entry.fixes.map((f) => `${platformLabel(f.platform)}:\n${f.code}`),
    `Re-test: ${entry.retest}`,
  ].join("\n\n");
}

function helpMarkdown(entry: Rule): string {
  return [
    entry.recommendation,
    ...entry.fixes.map(
      (f) => `**${platformLabel(f.platform)}**\n\n\`\`\`${codeLanguage(f.platform, f.code)}\n${f.code}\n\`\`\``,
    ),
    `**Re-test:** ${entry.retest}`,
    `**References:** ${entry.references.map((r) => `<${r}>`).join(" · ")}`,
  ].join("\n\n");
}

function rule(entry: Rule): Record<string, unknown> {
  const id = entry.id;
  const helpUri = entry.references.find((r) => !r.startsWith("https://cwe.mitre.org/")) ?? entry.references[0];
  return {
    id,
    name: ruleName(id),
    shortDescription: { text: entry.title },
    fullDescription: { text: entry.description },
    helpUri,
    help: { text: helpText(entry), markdown: helpMarkdown(entry) },
    defaultConfiguration: { level: SARIF_LEVEL[entry.severity] },
    properties: {
      tags: ["security", "session-management", ...entry.cwe.map((n) => `external/cwe/cwe-${n}`)],
      "security-severity": SECURITY_SEVERITY[entry.severity],
      precision: "high",
      asvs: entry.asvs,
    },
  };
}

// A finding is identified by its check and the audited origin: re-running the audit
// against the same application must map to the same alert, whatever the path or time.
function fingerprint(id: string, target: string): string {
  let origin = target;
  try {
    origin = new URL(target).origin;
  } catch {
    // Not a URL (e.g. a `tokens` run over a file): the raw string is the identity.
  }
  return createHash("sha256").update(`${id}\u0000${origin}`).digest("hex").slice(0, 32);
}

function firstSentence(s: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(s.trim());
  return (m?.[0] ?? s).trim();
}

function isoUtc(s: string): string | undefined {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function result(f: Finding, report: Report, ruleIndex: number): Record<string, unknown> {
  const reason = report.results.find((r) => r.id === f.id)?.reason ?? firstSentence(f.description);
  const level = SARIF_LEVEL[f.severity] ?? "warning";
  return {
    ruleId: f.id,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    kind: "fail",
    level,
    message: { text: `${f.title}: ${reason}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: report.target } } }],
    partialFingerprints: { "sessionguard/v1": fingerprint(f.id, report.target) },
    properties: {
      code: f.code,
      args: f.args,
      severity: f.severity,
      "security-severity": SECURITY_SEVERITY[f.severity] ?? "5.5",
      confidence: f.confidence,
      cwe: f.cwe,
      asvs: f.asvs,
      evidence: f.evidence,
      reproduce: f.reproduce,
      verification: f.verification,
    },
  };
}

/**
 * The report as a SARIF 2.1.0 log for code-scanning dashboards: one run, a
 * rule per rule of the report (`report.rules`: the check ids of SPEC §2.3 for an audit) with CWE tags and GitHub's
 * `security-severity`, and one result per finding located at the target URL
 * (web findings have no source file). 2-space indentation, final newline.
 * Pure: no I/O.
 */
export function renderSarif(report: Report): string {
  const rules = report.rules ?? [];
  const startTimeUtc = isoUtc(report.startedAt);
  const endTimeUtc = isoUtc(report.finishedAt);
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sessionguard",
            version: report.version,
            semanticVersion: report.version,
            informationUri: INFORMATION_URI,
            rules: rules.map(rule),
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(startTimeUtc === undefined ? {} : { startTimeUtc }),
            ...(endTimeUtc === undefined ? {} : { endTimeUtc }),
          },
        ],
        results: report.findings.map((f) =>
          result(
            f,
            report,
            rules.findIndex((r) => r.id === f.id),
          ),
        ),
        properties: {
          target: report.target,
          risk: report.summary.risk,
          counts: report.summary.counts,
          checks: report.results.map((r) => ({ id: r.id, status: r.status, reason: r.reason })),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
