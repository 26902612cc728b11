import { readFile } from "node:fs/promises";
import { ALL_CHECKS, TOKEN_CHECKS } from "../checks/index.js";
import { verdictOutcome } from "../checks/lib/token-check.js";
import { analyzeTokens } from "../checks/token-analysis.js";
import type { CheckOutcome } from "../checks/types.js";
import { collect } from "../engine/findings.js";
import { AuditError } from "../errors.js";
import { countBySeverity, type Report, riskOf } from "../report/model.js";
import { Redactor, redactReport } from "../report/redact.js";
import { parseTokenList } from "../tokens/index.js";
import { VERSION } from "../version.js";
import { exitCodeFor, parseFailOn } from "./audit-command.js";
import { parseFormats } from "./formats.js";
import { formatSummary } from "./summary.js";
import { writeReport } from "./write-report.js";

/** Options of `sessionguard tokens`. */
export interface TokensCommandOptions {
  readonly out: string;
  readonly format: string;
  readonly failOn: string;
  readonly minEntropy: string;
  readonly quiet?: boolean;
}

async function readInput(source: string): Promise<string> {
  if (source === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(source, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AuditError(
      "ERR_INPUT",
      code === "ENOENT" ? `${source} does not exist` : `${source} cannot be read (${code ?? "error"})`,
    );
  }
}

/**
 * Runs `sessionguard tokens <file|->`: analyses a pasted list of captured
 * tokens (like a manual load into a sequencer) and writes the same report
 * formats as `audit`, with the `token-*` results only.
 */
export async function tokensCommand(source: string, options: TokensCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const failOn = parseFailOn(options.failOn);
  const minEntropyBits = Number(options.minEntropy);
  if (!Number.isInteger(minEntropyBits) || minEntropyBits < 1) {
    throw new AuditError("ERR_USAGE", "--min-entropy must be a whole number of bits, e.g. 64");
  }
  const startedAt = new Date();
  const tokens = parseTokenList(await readInput(source));
  if (tokens.length === 0)
    throw new AuditError("ERR_INPUT", `${source === "-" ? "stdin" : source} holds no tokens (one per line)`);
  const analysis = analyzeTokens(
    tokens.map((value) => ({ value })),
    { minEntropyBits },
    TOKEN_CHECKS,
  );
  const verification = `npx sessionguard tokens ${source === "-" ? "-" : source}`;
  const outcomes = new Map<string, CheckOutcome>();
  for (const check of ALL_CHECKS) {
    outcomes.set(check.id, {
      status: "not-applicable",
      reason: "token-list analysis only: this check needs a live target (sessionguard audit)",
    });
  }
  for (const verdict of analysis.verdicts) outcomes.set(verdict.id, verdictOutcome(verdict));
  const { results, findings, rules } = collect(ALL_CHECKS, outcomes, verification);
  const report: Report = {
    tool: "sessionguard",
    version: VERSION,
    target: source === "-" ? "stdin" : source,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    summary: { risk: riskOf(findings), counts: countBySeverity(findings) },
    results,
    findings,
    tokens: { ...analysis.summary, minEntropyBits },
    verification,
    rules,
  };
  const redactor = new Redactor();
  for (const token of tokens) redactor.add(token);
  const written = await writeReport(redactReport(report, redactor), formats, options.out, process.stdout);
  if (options.quiet !== true)
    (options.out === "-" ? process.stderr : process.stdout).write(formatSummary(report, written));
  return exitCodeFor(report, failOn);
}
