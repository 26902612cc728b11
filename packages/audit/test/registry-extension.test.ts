/**
 * Adding a check touches one module: a check defined here (its id, phase,
 * catalogue entry and probe in one object) is added to the registry list and
 * shows up everywhere the audit's own checks do — results, findings (with its
 * code and args), Markdown, HTML, JSON and SARIF rules — and so does a token
 * check that judges the shared token measurements.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_CHECKS,
  type CatalogueEntry,
  defineCheck,
  defineTokenCheck,
  outcome,
  tokenVerdict,
} from "../src/checks/index.js";
import { resolveConfig } from "../src/config/load.js";
import { silentProgress } from "../src/engine/progress.js";
import { runAudit } from "../src/engine/run.js";
import { renderReport } from "../src/report/index.js";
import type { Report } from "../src/report/model.js";

const BANNER = "Acme-Sessions/1.2";

const catalogue = (title: string): CatalogueEntry => ({
  title,
  severity: "low",
  cwe: [200],
  asvs: ["13.4.6"],
  description: `${title}: a dummy description long enough to read.`,
  impact: "A dummy impact: an attacker learns which software to target.",
  likelihood: "A dummy likelihood: anyone who sends a request sees it.",
  recommendation: "Remove the header from every response.",
  fixes: [{ platform: "nginx", code: "more_clear_headers X-Session-Engine;" }],
  references: ["https://cwe.mitre.org/data/definitions/200.html"],
  retest: `\`${title}\` passes once the header is gone.`,
  headline: "the server names its session software to anyone",
  action: "removing version banners",
});

/** The whole new check: one object. */
const sessionBanner = defineCheck({
  id: "session-banner",
  phase: "passive",
  catalogue: catalogue("Session engine banner"),
  async run(context) {
    const banner = context.discovery.first.headers.get("x-session-engine")?.[0];
    return banner !== undefined
      ? outcome.vulnerable(`the server announces its session engine ${banner}`, {
          variant: "header",
          args: { header: "X-Session-Engine", value: banner },
          evidence: [`X-Session-Engine: ${banner}`],
        })
      : outcome.passed("no session engine banner");
  },
});

/** A new token check: judges the measurements every token check shares. */
const tokenFieldCount = defineTokenCheck({
  id: "token-few-distinct",
  catalogue: catalogue("Few distinct token lengths"),
  judge(facts) {
    const lengths = facts.layout.fields.length;
    return facts.n > 0
      ? tokenVerdict("token-few-distinct", "vulnerable", `${facts.n} tokens in ${lengths} field(s)`, "firm", [], {
          variant: "measured",
          args: { samples: facts.n, fields: lengths },
        })
      : tokenVerdict("token-few-distinct", "inconclusive", "no tokens", "firm", []);
  },
});

let base = "";
const server = createServer((_req, res) => {
  res.setHeader("X-Session-Engine", BANNER);
  res.setHeader("Set-Cookie", `sid=${randomBytes(32).toString("hex")}; Path=/; HttpOnly; Secure; SameSite=Lax`);
  res.setHeader("Cache-Control", "no-store");
  res.end("hello");
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("a check added to the registry", () => {
  let report: Report;

  beforeAll(async () => {
    const config = resolveConfig({ budget: { maxRequests: 1000, rate: 1000, maxDuration: "60s" } }, base);
    report = await runAudit({
      config,
      samples: 40,
      checks: [...ALL_CHECKS, sessionBanner, tokenFieldCount],
      progress: () => silentProgress,
      verification: "npx sessionguard audit",
    });
  }, 120_000);

  it("has a result in registry order and a finding with its code and args", () => {
    expect(report.results.map((r) => r.id)).toEqual([
      ...ALL_CHECKS.map((c) => c.id),
      "session-banner",
      "token-few-distinct",
    ]);
    const finding = report.findings.find((f) => f.id === "session-banner");
    expect(finding).toMatchObject({
      code: "session-banner/header",
      args: { header: "X-Session-Engine", value: BANNER },
      title: "Session engine banner",
      severity: "low",
      headline: "the server names its session software to anyone",
      cweNames: { "200": "Exposure of Sensitive Information to an Unauthorized Actor" },
    });
    const tokens = report.findings.find((f) => f.id === "token-few-distinct");
    expect(tokens?.code).toBe("token-few-distinct/measured");
    expect(tokens?.args).toMatchObject({ samples: 40 });
  });

  it("appears in Markdown, HTML, JSON and the SARIF rules", () => {
    const md = renderReport(report, "md");
    expect(md).toContain("Session engine banner");
    expect(md).toContain("(`session-banner`)");
    expect(md).toContain("the server names its session software to anyone");
    const html = renderReport(report, "html");
    expect(html).toContain("<code>session-banner</code>");
    expect(html).toContain("<code>session-banner/header</code>");
    expect(html).toContain("Few distinct token lengths");
    const json = JSON.parse(renderReport(report, "json")) as {
      findings: { id: string; code: string }[];
      rules: { id: string }[];
    };
    expect(json.findings.map((f) => f.code)).toContain("session-banner/header");
    expect(json.rules.map((r) => r.id).slice(-2)).toEqual(["session-banner", "token-few-distinct"]);
    const sarif = JSON.parse(renderReport(report, "sarif")) as {
      runs: {
        tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } };
        results: { ruleId: string; ruleIndex: number; properties: { code: string } }[];
      }[];
    };
    const [run] = sarif.runs;
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id).slice(-2)).toEqual(["session-banner", "token-few-distinct"]);
    expect(rules.at(-2)?.shortDescription.text).toBe("Session engine banner");
    const result = run?.results.find((r) => r.ruleId === "session-banner");
    expect(result?.properties.code).toBe("session-banner/header");
    expect(rules[result?.ruleIndex ?? -1]?.id).toBe("session-banner");
  });
});
