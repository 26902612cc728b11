import { createHash } from "node:crypto";
import type { Severity } from "../report/model.js";
import { VERSION } from "../version.js";
import { STATIC_CATALOGUE } from "./catalogue.js";
import type { CheckOutcome } from "./check-files.js";

const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

/**
 * A `check` run as SARIF 2.1.0 with physical locations (file, region,
 * snippet) so GitHub code scanning annotates the lines; suppressed findings
 * carry an `inSource` suppression with the reason. Paths are relative to the
 * folder `check` ran in (`%SRCROOT%`). Pure.
 */
export function renderStaticSarif(outcome: CheckOutcome): string {
  const used = [
    ...new Set([...outcome.findings, ...outcome.suppressed.map((s) => s.finding)].map((f) => f.ruleId)),
  ].sort();
  const rules = used.map((id) => {
    const entry = STATIC_CATALOGUE.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: entry?.title ?? id },
      helpUri: entry?.docs,
      defaultConfiguration: { level: LEVEL[entry?.severity ?? "medium"] },
      properties: {
        tags: ["security", "session-management", ...(entry?.cwe ?? []).map((n) => `external/cwe/cwe-${n}`)],
        "security-severity": SECURITY_SEVERITY[entry?.severity ?? "medium"],
        precision: "high",
      },
    };
  });
  const all = [
    ...outcome.findings.map((finding) => ({ finding, reason: undefined as string | undefined })),
    ...outcome.suppressed.map((s) => ({ finding: s.finding, reason: s.reason as string | undefined })),
  ];
  const results = all.map(({ finding: f, reason }) => ({
    ruleId: f.ruleId,
    ruleIndex: used.indexOf(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: `${f.message}\nFix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: f.file, uriBaseId: "%SRCROOT%" },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
            snippet: { text: f.snippet },
          },
        },
      },
    ],
    partialFingerprints: {
      "sessionguard/v1": createHash("sha256")
        .update(`${f.ruleId}\u0000${f.file}\u0000${f.snippet}`)
        .digest("hex")
        .slice(0, 32),
    },
    properties: { severity: f.severity, "security-severity": SECURITY_SEVERITY[f.severity], fix: f.fix },
    ...(reason === undefined ? {} : { suppressions: [{ kind: "inSource", justification: reason }] }),
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "sessionguard", version: VERSION, semanticVersion: VERSION, rules } },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "the folder sessionguard check ran in" } } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: outcome.failures.map((f) => ({
              level: "warning",
              message: { text: `not parsed: ${f.message}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: f.file, uriBaseId: "%SRCROOT%" } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
