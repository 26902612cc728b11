import { readFile } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { AuditError } from "../errors.js";
import { importOptional } from "../lib/optional-import.js";
import { collectFiles, type FileKind } from "./files.js";
import type { ParseFailure, StaticFinding, Suppression } from "./finding.js";
import { RuleCrash, runJsRules } from "./js-runner.js";
import { PARSERS_HINT } from "./parsers-hint.js";
import { type IniDirective, parseIni } from "./php/ini.js";
import { type PhpFacts, type PhpLocation, phpFacts } from "./php/php-file.js";
import { judgeProject, type PhpProject } from "./php/project.js";
import type { SessionRule } from "./rule.js";
import { JS_RULES } from "./rules/index.js";
import { type IgnoreComment, ignoreComments, ignoreFor } from "./suppression.js";

/** Options of {@link checkFiles}. */
export interface CheckFilesOptions {
  /** The JS/TS rules to run. Default: all ({@link JS_RULES}). */
  readonly rules?: readonly SessionRule[];
  /** Files above this size are skipped as generated bundles. Default 1 MiB. */
  readonly maxFileBytes?: number;
  /** Paths in findings are relative to this folder. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Walk every folder, ignoring the default skips and `.sessionguardignore` (benchmarks). */
  readonly everything?: boolean;
}

/** Result of {@link checkFiles}: findings as data, nothing printed. */
export interface CheckOutcome {
  /** Files read. */
  readonly files: number;
  readonly findings: readonly StaticFinding[];
  /** Findings silenced by a `sessionguard-ignore` comment with a reason. */
  readonly suppressed: readonly Suppression[];
  /** `sessionguard-ignore` comments without a reason (they silence nothing). */
  readonly unjustified: ReadonlyArray<{ readonly file: string; readonly line: number }>;
  readonly failures: readonly ParseFailure[];
  /** Files skipped for size. */
  readonly skipped: readonly string[];
}

interface Raw {
  readonly ruleId: string;
  readonly severity: StaticFinding["severity"];
  readonly message: string;
  readonly fix: string;
  readonly at: PhpLocation;
}

type PhpEngine = { parseCode(code: string, filename?: string): unknown };
let php: Promise<PhpEngine> | undefined;

function phpParser(): Promise<PhpEngine> {
  php ??= importOptional("php-parser", () => import("php-parser"), PARSERS_HINT).then((m) => {
    const Engine = (m as unknown as { default: new (options: unknown) => PhpEngine }).default;
    return new Engine({
      parser: { php8: true, suppressErrors: false, extractDoc: false },
      ast: { withPositions: true },
    });
  });
  return php;
}

function snippetOf(lines: readonly string[], line: number): string {
  const text = (lines[line - 1] ?? "").trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * Runs the static checks (SPEC §5) on files and folders: JS/TS rules on the
 * TypeScript ESTree AST, PHP code and `php.ini`/`.user.ini` judged together.
 * Parse errors are recorded as failures, never thrown.
 */
export async function checkFiles(paths: readonly string[], options: CheckFilesOptions = {}): Promise<CheckOutcome> {
  const rules = options.rules ?? JS_RULES;
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const cwd = options.cwd ?? process.cwd();
  const display = (path: string): string => {
    const rel = relative(cwd, path);
    return (rel.startsWith("..") || isAbsolute(rel) ? path : rel).split(sep).join("/");
  };
  const files = await collectFiles(paths, { everything: options.everything === true });
  const texts = new Map<string, { lines: string[]; comments: IgnoreComment[] }>();
  const raws: Array<Raw & { file: string }> = [];
  const failures: ParseFailure[] = [];
  const skipped: string[] = [];
  const project: { ini: PhpProject["ini"][number][]; code: PhpProject["code"][number][] } = { ini: [], code: [] };

  for (const { path, kind } of files) {
    const file = display(path);
    let text: string;
    try {
      const buffer = await readFile(path);
      if (buffer.length > maxBytes) {
        skipped.push(file);
        continue;
      }
      text = buffer.toString("utf8");
    } catch (error) {
      failures.push({
        file,
        kind: "parse",
        message: `cannot be read (${(error as { code?: string }).code ?? "error"})`,
      });
      continue;
    }
    texts.set(file, { lines: text.split(/\r?\n/), comments: ignoreComments(text) });
    try {
      for (const raw of await analyse(kind, path, text, rules, project, file)) raws.push({ ...raw, file });
    } catch (error) {
      // A missing parser is the user's setup, not this file's fault: stop and say what to install.
      if (error instanceof AuditError) throw error;
      const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      failures.push({ file, kind: error instanceof RuleCrash ? "crash" : "parse", message: message.slice(0, 300) });
    }
  }
  for (const issue of judgeProject(project))
    raws.push({
      ruleId: issue.id,
      severity: issue.severity,
      message: issue.message,
      fix: issue.fix,
      at: issue.at,
      file: issue.file,
    });

  const findings: StaticFinding[] = [];
  const suppressed: Suppression[] = [];
  const seen = new Set<string>();
  for (const raw of raws) {
    const key = `${raw.file}:${raw.at.line}:${raw.at.column}:${raw.ruleId}:${raw.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = texts.get(raw.file);
    const finding: StaticFinding = {
      ruleId: raw.ruleId,
      severity: raw.severity,
      message: raw.message,
      file: raw.file,
      line: raw.at.line,
      column: raw.at.column,
      endLine: raw.at.endLine,
      endColumn: raw.at.endColumn,
      snippet: source === undefined ? "" : snippetOf(source.lines, raw.at.line),
      fix: raw.fix,
    };
    const comment = source === undefined ? undefined : ignoreFor(source.comments, raw.ruleId, raw.at.line);
    if (comment !== undefined && comment.reason !== "") suppressed.push({ finding, reason: comment.reason });
    else findings.push(finding);
  }
  const unjustified = [...texts].flatMap(([file, { comments }]) =>
    comments.filter((c) => c.reason === "").map((c) => ({ file, line: c.line })),
  );
  const order = (a: StaticFinding, b: StaticFinding): number =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
  return {
    files: files.length - skipped.length,
    findings: findings.sort(order),
    suppressed,
    unjustified,
    failures,
    skipped,
  };
}

async function analyse(
  kind: FileKind,
  path: string,
  text: string,
  rules: readonly SessionRule[],
  project: { ini: PhpProject["ini"][number][]; code: PhpProject["code"][number][] },
  file: string,
): Promise<Raw[]> {
  if (kind === "js") {
    const reports = await runJsRules(path, text, rules);
    return reports.map(({ rule, report }) => {
      const loc = report.node.loc;
      return {
        ruleId: rule.id,
        severity: report.data?.severity ?? rule.severity,
        message: report.message,
        fix: rule.fix,
        at: {
          line: loc.start.line,
          column: loc.start.column + 1,
          endLine: loc.end.line,
          endColumn: loc.end.column + 1,
        },
      };
    });
  }
  if (kind === "ini") {
    const directives: IniDirective[] = parseIni(text).filter((d) => d.key.startsWith("session."));
    project.ini.push({ file, directives });
    return [];
  }
  const engine = await phpParser();
  const ast = engine.parseCode(text, path);
  let facts: PhpFacts;
  try {
    facts = phpFacts(ast, text, path);
  } catch (error) {
    throw new RuleCrash(error);
  }
  project.code.push({ file, settings: facts.settings, sessionStarts: facts.sessionStarts });
  return facts.issues.map((i) => ({ ruleId: i.id, severity: i.severity, message: i.message, fix: i.fix, at: i.at }));
}
