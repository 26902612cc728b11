/**
 * The sessionguard fixes the report shows are real code: each snippet, with
 * the imports it declares, is compiled against the library's own types
 * (`packages/sessionguard/src`, the repository's compiler settings). An
 * option the library does not have, a renamed method or a wrong argument
 * fails here instead of reaching a report.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ALL_CHECKS } from "../src/checks/index.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// Virtual files: the folder does not exist on disk; module resolution starts here.
const DIR = `${ROOT}packages/audit/test/fix-snippets/`;

/**
 * What a snippet may take for granted: the application around it. Everything
 * from sessionguard must be imported by the snippet itself.
 */
const APP_CONTEXT = `
import type { Express } from "express";
import type { SessionStore } from "sessionguard";
import "sessionguard/adapters/express";

declare global {
  /** The application's Express app. */
  const app: Express;
  /** The application's session store (memoryStore(), sqliteStore(), a Redis or PostgreSQL store). */
  const store: SessionStore;
  /** The application's own user lookup and password change. */
  function authenticate(username: string, password: string): Promise<{ id: string; role: string } | null>;
  function changePassword(userId: string, current: string, next: string): Promise<void>;
  /** A user id the application works with (an admin action, an account page). */
  const userId: string;
}
export {};
`;

interface Snippet {
  readonly name: string;
  readonly file: string;
  readonly code: string;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const check of ALL_CHECKS) {
    check.catalogue.fixes
      .filter((f) => f.platform === "sessionguard")
      .forEach((f, i) => {
        out.push({
          name: `${check.id} #${i + 1}`,
          file: `${DIR}${check.id}-${i + 1}.ts`,
          code: `${f.code}\nexport {};\n`,
        });
      });
  }
  return out;
}

function compilerOptions(): ts.CompilerOptions {
  const path = `${ROOT}tsconfig.json`;
  const config = ts.readConfigFile(path, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, path);
  return { ...parsed.options, noEmit: true, types: ["node"] };
}

/** Type errors per virtual file, as `line:col message`. */
function typeErrors(files: readonly { file: string; code: string }[]): Map<string, string[]> {
  const options = compilerOptions();
  const virtual = new Map<string, string>([[`${DIR}app-context.d.ts`, APP_CONTEXT]]);
  for (const f of files) virtual.set(f.file, f.code);
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = virtual.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, onError, create)
      : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const errors = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file?.fileName ?? "(global)";
    const at =
      d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const text = `${at === undefined ? "" : `${at.line + 1}:${at.character + 1} `}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    errors.set(name, [...(errors.get(name) ?? []), text]);
  }
  return errors;
}

describe("sessionguard fixes in the catalogue", () => {
  const all = snippets();

  it("exist for every check", () => {
    const covered = new Set(all.map((s) => s.name.split(" ")[0]));
    expect([...covered]).toEqual(ALL_CHECKS.map((c) => c.id));
  });

  it("compile against the library's real types", { timeout: 180_000 }, () => {
    // A canary proves the compiler sees the library: a misspelt option must be an error.
    const canary = {
      file: `${DIR}canary.ts`,
      code: `import { SessionManager } from "sessionguard";\nnew SessionManager({ store, keys: [], guessingLimt: true });\nexport {};\n`,
    };
    const errors = typeErrors([...all, canary]);
    expect(errors.get(canary.file)?.join("\n")).toMatch(/guessingLimt/);
    const report = all
      .filter((s) => errors.has(s.file))
      .map((s) => `${s.name}:\n  ${(errors.get(s.file) ?? []).join("\n  ")}\n${s.code}`);
    expect(report, report.join("\n\n")).toEqual([]);
    expect([...errors.keys()].filter((f) => f !== canary.file && !all.some((s) => s.file === f))).toEqual([]);
  });
});
