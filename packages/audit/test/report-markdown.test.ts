import { describe, expect, it } from "vitest";
import { CHECK_IDS } from "../src/checks/index.js";
import { renderMarkdown } from "../src/report/markdown.js";
import type { Finding, Report } from "../src/report/model.js";
import { emptyReport, sampleReport } from "./fixtures/sample-report.js";

// The per-finding sections of the report template (seeds/000), in order.
const FINDING_SECTIONS = [
  "#### Description of the Vulnerability",
  "#### Impact",
  "#### Likelihood",
  "#### Evidence",
  "#### Steps to Reproduce",
  "#### Recommendations for Developers",
  "#### Verification",
  "#### References",
];

function inOrder(text: string, needles: readonly string[], from = 0): number {
  let at = from;
  for (const n of needles) {
    const i = text.indexOf(n, at);
    expect(i, `"${n}" after offset ${at}`).toBeGreaterThanOrEqual(0);
    at = i + n.length;
  }
  return at;
}

function withFinding(report: Report, patch: Partial<Finding>): Report {
  const [first, ...rest] = report.findings;
  if (first === undefined) throw new Error("fixture has findings");
  return { ...report, findings: [{ ...first, ...patch }, ...rest] };
}

describe("renderMarkdown", () => {
  const report = sampleReport();
  const md = renderMarkdown(report);

  it("follows the template: title, executive summary, results, findings, token analysis, verification, closing", () => {
    inOrder(md, [
      "# Session Management Flaws",
      "## Executive Summary",
      "## Check results",
      "## Findings",
      "## Token analysis",
      "## Verification",
      "## Conclusion",
      "Addressing these session management flaws is critical",
    ]);
  });

  it("summarises target, dates, risk, counts per severity and names the worst findings", () => {
    const summary = md.slice(md.indexOf("## Executive Summary"), md.indexOf("## Check results"));
    expect(md).toContain("| Target | `http://127.0.0.1:8080` |");
    expect(md).toContain("| Overall risk | **CRITICAL** |");
    expect(md).toContain("2025-06-12 00:14:21 UTC");
    for (const row of ["| Critical | 1 |", "| High | 2 |", "| Medium | 1 |", "| Low | 1 |", "| Info | 0 |"]) {
      expect(summary).toContain(row);
    }
    expect(summary).toContain("The most serious: an attacker can compute other users' session tokens");
    expect(summary).toContain("(Predictable session tokens, Critical)");
  });

  it("lists every check id with its status and reason", () => {
    const table = md.slice(md.indexOf("## Check results"), md.indexOf("## Findings"));
    for (const id of CHECK_IDS) expect(table).toContain(`(\`${id}\`)`);
    expect(table).toContain("| **Vulnerable** | The session id is 13 hexadecimal characters");
    expect(table).toContain("| Inconclusive | policy.maxIdle (30m)");
  });

  it("gives every finding all template sections in order, most severe first", () => {
    const findings = md.slice(md.indexOf("## Findings"), md.indexOf("## Token analysis"));
    const headings = [...findings.matchAll(/^### (\d+)\. (.+) — (\w+)$/gm)].map((m) => [m[2], m[3]]);
    expect(headings).toEqual([
      ["Predictable session tokens", "Critical"],
      ["Insufficient session token entropy", "High"],
      ["Session fixation", "High"],
      ["Session token too short", "Medium"],
      ["Session cookie without a restrictive SameSite attribute", "Low"],
    ]);
    const starts = [...findings.matchAll(/^### \d+\./gm)].map((m) => m.index ?? 0);
    starts.forEach((start, i) => {
      const block = findings.slice(start, starts[i + 1] ?? findings.length);
      inOrder(block, FINDING_SECTIONS);
    });
  });

  it("puts reproduce commands, fixes and the verification command in code blocks", () => {
    const fixation = md.slice(md.indexOf("### 3. Session fixation"), md.indexOf("### 4."));
    inOrder(fixation, [
      "#### Steps to Reproduce",
      "1. Run:",
      "   ```sh\n   curl -s -c jar.txt -o /dev/null http://127.0.0.1:8080/login\n   ```",
      "3. Compare the __Host-PHPSESSID value",
      "#### Recommendations for Developers",
      "**Express (express-session)**\n\n```js\n",
      "req.session.regenerate(",
      "**PHP**\n\n```php\n",
      "session_regenerate_id(true)",
      "**sessionguard (Node.js)**\n\n```ts\n",
      "await req.session.login(user.id)",
      "#### Verification",
      "```sh\nnpx sessionguard audit http://127.0.0.1:8080 --config audit.json\n```",
      "Expected: `fixation` passes",
      "#### References",
      "- [CWE-384: Session Fixation](<https://cwe.mitre.org/data/definitions/384.html>)",
      "[OWASP Session Management Cheat Sheet]",
      "[OWASP ASVS 5.0 — V7 Session Management]",
    ]);
  });

  it("reports the token analysis figures and the exact re-test command", () => {
    const tokens = md.slice(md.indexOf("## Token analysis"), md.indexOf("\n## Verification"));
    expect(tokens).toContain("| Samples analysed | 200 |");
    expect(tokens).toContain("| Effective entropy | 12.7 bits — below the policy floor of 64 bits |");
    expect(tokens).toContain("PHP uniqid()");
    expect(tokens).toContain("| Markov | 13.4 bits | **below** (64 bits) |");
    expect(tokens).toMatch(/Bit bias: \d+ of 28 analysed bit positions/);
    expect(tokens).toContain("Only 7 of 13 character positions vary");
    const verification = md.slice(md.indexOf("\n## Verification"), md.indexOf("\n## Conclusion"));
    expect(verification).toContain("```sh\nnpx sessionguard audit http://127.0.0.1:8080 --config audit.json\n```");
  });

  it("quotes the policy floor given in the options", () => {
    expect(renderMarkdown(report, { minEntropyBits: 96 })).toContain("below the policy floor of 96 bits");
  });

  it("keeps attacker-controlled text inert: no raw HTML, no links, no broken fences", () => {
    const evil = withFinding(report, {
      title: "Fixation <img src=x onerror=alert(1)>",
      description: "Reflected [click](javascript:alert(1)) and <script>alert(1)</script>",
      evidence: ["<script>alert(1)</script>\n```\n# not a heading\n```", '"><img onerror=alert(1) src=x>'],
    });
    const out = renderMarkdown(evil);
    // Inside fenced blocks text is literal; everywhere else no raw tag may survive.
    const prose = out.replace(/^( *`{3,})[^\n]*\n[\s\S]*?^\1$/gm, "");
    // Only our own anchors and `(<https://…>)` link destinations may start with `<`; the rest is `\<`.
    expect(prose).not.toMatch(/(?<!\\)<(?!a id="finding-|\/a>|https:\/\/)[a-z/]/i);
    expect(out).not.toContain("[click](javascript:");
    expect(out).toContain("Fixation \\<img src=x onerror=alert(1)\\>");
    // Evidence with a ``` run gets a longer fence, so it cannot close the block early.
    expect(out).toContain("````text\n<script>alert(1)</script>\n```\n# not a heading\n```\n````");
  });

  it("renders a clean audit sensibly", () => {
    const out = renderMarkdown(emptyReport());
    inOrder(out, [
      "## Executive Summary",
      "the overall risk is none",
      "## Check results",
      "## Findings",
      "No findings",
    ]);
    expect(out).toContain("| Overall risk | **NONE** |");
    expect(out).toContain("No tokens were sampled in this run");
    expect(out).not.toContain("### 1.");
    expect(out).toContain("No session management flaws were confirmed");
  });
});
