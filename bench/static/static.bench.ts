/**
 * Static checks against the field: sessionguard, eslint-plugin-sonarjs,
 * eslint-plugin-security and @microsoft/eslint-plugin-sdl on the same
 * labelled corpus (packages/audit/test/fixtures/static), each tool's rule
 * hits mapped to the corpus labels (same file and id; tools report at
 * different nodes of one construct, so lines pair nearest first); then sessionguard's throughput on the
 * repository's own node_modules (every JS/TS file, no folder skipped).
 *
 *   npx vitest bench --run bench/static/static.bench.ts
 *
 * Writes bench/results/static.json and the table in docs/static-checks.md
 * (between the `static-bench` markers). A hit counts for a label when it is
 * in the labelled file and its rule maps to the label's id; a mapped hit
 * left without a label is a false positive; unmapped rules are counted
 * apart as `otherHits` (noise a reviewer still has to read). The ESLint
 * plugins run each file on its own so that one crash (the SDL plugin on
 * `require(variable)`) costs that file only; crashes are counted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import tsParser from "@typescript-eslint/parser";
import { ESLint } from "eslint";
import sonarjs from "eslint-plugin-sonarjs";
import { bench } from "vitest";
import { checkFiles } from "../../packages/audit/src/static/check-files.js";
import { CORPUS, corpusPath, corpusUnits, expectedLabels } from "../../packages/audit/test/helpers/static-corpus.js";

// Neither plugin ships type declarations; only their `configs` are used.
const require = createRequire(import.meta.url);
const sdl = require("@microsoft/eslint-plugin-sdl") as { configs: Record<string, unknown> };
const security = require("eslint-plugin-security") as { configs: Record<string, unknown> };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RESULTS = join(ROOT, "bench/results/static.json");
const DOCS = join(ROOT, "docs/static-checks.md");

/** Each peer's rules that address a corpus id (its documentation's own description of the rule). */
const MAPPINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "eslint-plugin-sonarjs": {
    "sonarjs/insecure-cookie": "cookie-secure",
    "sonarjs/cookie-no-httponly": "cookie-httponly",
    "sonarjs/no-hardcoded-passwords": "code-hardcoded-secret",
    "sonarjs/no-hardcoded-secrets": "code-hardcoded-secret",
    "sonarjs/hardcoded-secret-signatures": "code-hardcoded-secret",
    "sonarjs/pseudo-random": "token-predictable",
    "sonarjs/insecure-jwt-token": "code-jwt-no-algorithms",
    "sonarjs/session-regeneration": "fixation",
  },
  "eslint-plugin-security": { "security/detect-pseudoRandomBytes": "token-predictable" },
  "@microsoft/eslint-plugin-sdl": { "@microsoft/sdl/no-insecure-random": "token-predictable" },
};

interface Hit {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
}

interface ToolScore {
  readonly tool: string;
  readonly labels: number;
  readonly detected: number;
  readonly recall: number;
  readonly labelsJs: number;
  readonly detectedJs: number;
  readonly recallJs: number;
  readonly falsePositives: number;
  readonly otherHits: number;
  readonly crashes: number;
  readonly detectedById: Readonly<Record<string, number>>;
}

function score(
  tool: string,
  hits: readonly Hit[],
  mapping: (rule: string) => string | undefined,
  crashes: number,
): ToolScore {
  const labels = corpusUnits().flatMap((u) => u.labelled.flatMap(expectedLabels));
  // Tools report at different nodes of one construct (the call, the option, the value), so a
  // label is matched by a hit of the same id in the same file, nearest line first; a hit left
  // over (no label of its id in its file) is a false positive.
  const labelsByKey = new Map<string, number[]>();
  for (const l of labels) {
    const key = l.slice(0, l.lastIndexOf("@"));
    labelsByKey.set(key, [...(labelsByKey.get(key) ?? []), Number(l.slice(l.lastIndexOf("@") + 1))]);
  }
  const found = new Set<string>();
  let falsePositives = 0;
  let otherHits = 0;
  for (const h of hits) {
    const id = mapping(h.rule);
    if (id === undefined) {
      otherHits++;
      continue;
    }
    const key = `${h.file}#${id}`;
    const open = (labelsByKey.get(key) ?? []).filter((line) => !found.has(`${key}@${line}`));
    if (open.length === 0) {
      falsePositives++;
      continue;
    }
    const nearest = open.reduce((a, b) => (Math.abs(b - h.line) < Math.abs(a - h.line) ? b : a));
    found.add(`${key}@${nearest}`);
  }
  const js = labels.filter((l) => l.startsWith("js/"));
  const detectedById: Record<string, number> = {};
  for (const key of found) {
    const id = key.slice(key.indexOf("#") + 1, key.lastIndexOf("@"));
    detectedById[id] = (detectedById[id] ?? 0) + 1;
  }
  const round = (x: number): number => Math.round(x * 1000) / 10;
  const detectedJs = [...found].filter((l) => l.startsWith("js/")).length;
  return {
    tool,
    labels: labels.length,
    detected: found.size,
    recall: round(found.size / labels.length),
    labelsJs: js.length,
    detectedJs,
    recallJs: round(detectedJs / js.length),
    falsePositives,
    otherHits,
    crashes,
    detectedById,
  };
}

async function sessionguardHits(): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const unit of corpusUnits()) {
    const outcome = await checkFiles(unit.paths, { cwd: CORPUS });
    // Suppressed findings (sessionguard-ignore with a reason) are listed in the report, not reported.
    for (const f of outcome.findings) hits.push({ file: f.file, line: f.line, rule: f.ruleId });
  }
  return hits;
}

async function eslintHits(config: readonly unknown[]): Promise<{ hits: Hit[]; crashes: number }> {
  const eslint = new ESLint({
    cwd: CORPUS,
    overrideConfigFile: true,
    overrideConfig: [{ files: ["**/*.ts"], languageOptions: { parser: tsParser } }, ...(config as never[])],
  });
  const files = corpusUnits()
    .filter((u) => u.name.startsWith("js/"))
    .map((u) => u.paths[0] as string);
  const hits: Hit[] = [];
  let crashes = 0;
  for (const file of files) {
    try {
      const [result] = await eslint.lintFiles([file]);
      for (const m of result?.messages ?? []) {
        if (m.fatal === true || m.ruleId === null) continue;
        hits.push({ file: corpusPath(result!.filePath), line: m.line, rule: m.ruleId });
      }
    } catch {
      crashes++;
    }
  }
  return { hits, crashes };
}

/** Recommended preset plus every mapped rule switched on: each peer at its best. */
function peerConfig(tool: string): unknown[] {
  const mapped = Object.fromEntries(Object.keys(MAPPINGS[tool] ?? {}).map((r) => [r, "warn"]));
  switch (tool) {
    case "eslint-plugin-sonarjs":
      return [sonarjs.configs.recommended, { rules: mapped }];
    case "eslint-plugin-security":
      return [security.configs["recommended"], { rules: mapped }];
    default:
      return [...[sdl.configs["recommended"]].flat(), { rules: mapped }];
  }
}

async function throughput(): Promise<Record<string, unknown>> {
  const target = join(ROOT, "node_modules");
  const started = performance.now();
  const outcome = await checkFiles([target], { cwd: ROOT, everything: true });
  const seconds = (performance.now() - started) / 1000;
  return {
    target: "node_modules (every .js/.mjs/.cjs/.ts/.tsx/.php/.ini file, nothing skipped but files > 1 MiB)",
    files: outcome.files,
    skippedLarge: outcome.skipped.length,
    seconds: Math.round(seconds * 10) / 10,
    filesPerSecond: Math.round(outcome.files / seconds),
    parseErrors: outcome.failures.filter((f) => f.kind === "parse").length,
    crashes: outcome.failures.filter((f) => f.kind === "crash").length,
    crashSamples: outcome.failures.filter((f) => f.kind === "crash").slice(0, 5),
    findings: outcome.findings.length,
  };
}

function table(scores: readonly ToolScore[], speed: Record<string, unknown>): string {
  const rows = scores.map(
    (s) =>
      `| ${s.tool} | ${s.detected}/${s.labels} (${s.recall}%) | ${s.detectedJs}/${s.labelsJs} (${s.recallJs}%) | ${s.falsePositives} | ${s.otherHits} | ${s.crashes} |`,
  );
  return [
    "| tool | recall, whole corpus | recall, JS/TS labels | false positives | other hits (unmapped rules) | crashed files |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Throughput: sessionguard read ${speed["files"]} files of the repository's node_modules in ${speed["seconds"]} s (${speed["filesPerSecond"]} files/s, ${cpus().length} cores shared), ${speed["parseErrors"]} files not parseable as JS/TS/PHP, ${speed["crashes"]} rule crashes.`,
  ].join("\n");
}

bench(
  "static checks: corpus against the field, and node_modules throughput",
  async () => {
    const scores: ToolScore[] = [score("sessionguard", await sessionguardHits(), (r) => r, 0)];
    for (const tool of Object.keys(MAPPINGS)) {
      const { hits, crashes } = await eslintHits(peerConfig(tool));
      scores.push(score(tool, hits, (r) => MAPPINGS[tool]?.[r], crashes));
    }
    const speed = await throughput();
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ date: new Date().toISOString(), node: process.version, corpus: "packages/audit/test/fixtures/static", scores, throughput: speed }, null, 2)}\n`,
    );
    const docs = readFileSync(DOCS, "utf8");
    const begin = "<!-- static-bench:begin -->";
    const end = "<!-- static-bench:end -->";
    const i = docs.indexOf(begin);
    const j = docs.indexOf(end);
    if (i >= 0 && j > i)
      writeFileSync(DOCS, `${docs.slice(0, i + begin.length)}\n${table(scores, speed)}\n${docs.slice(j)}`);
    console.log(table(scores, speed));
  },
  { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
);
