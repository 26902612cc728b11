import type { Finding, Report, Rule, TokenCharts, TokenSummary } from "./model.js";

// Objects are rebuilt key by key so the output order is the CONTRACT's (SPEC §2.4)
// whatever order the engine built them in; extensions follow the contract keys.
// `undefined` members vanish in JSON.stringify, which is what optional fields need.

function finding(f: Finding): Record<string, unknown> {
  return {
    id: f.id,
    title: f.title,
    severity: f.severity,
    confidence: f.confidence,
    cwe: f.cwe,
    asvs: f.asvs,
    description: f.description,
    impact: f.impact,
    likelihood: f.likelihood,
    evidence: f.evidence,
    reproduce: f.reproduce,
    recommendation: f.recommendation,
    verification: f.verification,
    references: f.references,
    code: f.code,
    args: f.args,
    fixes: fixes(f.fixes),
    retest: f.retest,
    headline: f.headline,
    action: f.action,
    cweNames: f.cweNames,
  };
}

function fixes(list: Finding["fixes"]): Record<string, unknown>[] {
  return list.map((x) => ({ platform: x.platform, code: x.code }));
}

function rule(r: Rule): Record<string, unknown> {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity,
    cwe: r.cwe,
    asvs: r.asvs,
    description: r.description,
    recommendation: r.recommendation,
    fixes: fixes(r.fixes),
    references: r.references,
    retest: r.retest,
  };
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function charts(c: TokenCharts): Record<string, unknown> {
  return {
    bitBias: c.bitBias,
    charDistribution: c.charDistribution.map(sortedRecord),
    estimates: c.estimates,
    effectiveEntropyAt: c.effectiveEntropyAt,
  };
}

function tokens(t: TokenSummary): Record<string, unknown> {
  return {
    samples: t.samples,
    bitsPerToken: t.bitsPerToken,
    effectiveEntropyBits: t.effectiveEntropyBits,
    generator: t.generator,
    verdict: t.verdict,
    predicted: t.predicted,
    warnings: t.warnings,
    charts: t.charts === undefined ? undefined : charts(t.charts),
  };
}

/**
 * The report as the JSON document of SPEC §2.4 (CONTRACT): contract keys in
 * the documented order, extensions (a finding's `code`, `args` and `fixes`,
 * token `charts`, `verification`, `scan`, `rules`) after them, 2-space indentation and a final newline. Parsing the
 * output gives back an object equal to the report. Pure: no I/O.
 */
export function renderJson(report: Report): string {
  const c = report.summary.counts;
  const doc = {
    tool: report.tool,
    version: report.version,
    target: report.target,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: {
      risk: report.summary.risk,
      counts: { critical: c.critical, high: c.high, medium: c.medium, low: c.low, info: c.info },
    },
    results: report.results.map((r) => ({ id: r.id, status: r.status, reason: r.reason })),
    findings: report.findings.map(finding),
    tokens: tokens(report.tokens),
    verification: report.verification,
    scan:
      report.scan === undefined
        ? undefined
        : {
            requests: report.scan.requests,
            durationMs: report.scan.durationMs,
            sessionCookie: report.scan.sessionCookie,
            budget: {
              maxRequests: report.scan.budget.maxRequests,
              rate: report.scan.budget.rate,
              maxDurationMs: report.scan.budget.maxDurationMs,
            },
          },
    rules: (report.rules ?? []).map(rule),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
