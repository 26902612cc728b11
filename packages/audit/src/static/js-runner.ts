import type { TSESTree } from "@typescript-eslint/types";
import type { Node, RuleContext, RuleReport, SessionRule } from "./rule.js";

/** A rule threw: a sessionguard bug, kept apart from the file's own syntax errors. */
export class RuleCrash extends Error {
  constructor(cause: unknown) {
    super(`rule crashed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "RuleCrash";
  }
}

/** A rule report with the rule that made it. */
export interface RawReport {
  readonly rule: SessionRule;
  readonly report: RuleReport;
}

import { importOptional } from "../lib/optional-import.js";
import { PARSERS_HINT } from "./parsers-hint.js";

type Parser = typeof import("@typescript-eslint/typescript-estree");
type Keys = typeof import("@typescript-eslint/visitor-keys").visitorKeys;
let loaded: Promise<{ parser: Parser; keys: Keys }> | undefined;

// The parsers load on first use only, so `sessionguard audit` never pays for them.
function load(): Promise<{ parser: Parser; keys: Keys }> {
  loaded ??= Promise.all([
    importOptional(
      "@typescript-eslint/typescript-estree",
      () => import("@typescript-eslint/typescript-estree"),
      PARSERS_HINT,
    ),
    importOptional("@typescript-eslint/visitor-keys", () => import("@typescript-eslint/visitor-keys"), PARSERS_HINT),
  ]).then(([parser, keys]) => ({ parser, keys: keys.visitorKeys }));
  return loaded;
}

/**
 * Parses a JS/TS file with the TypeScript ESTree parser and runs the rules
 * on it the way ESLint does: parents set, listeners called on enter and on
 * `:exit`. Throws on a syntax error (the caller records a parse failure).
 */
export async function runJsRules(file: string, text: string, rules: readonly SessionRule[]): Promise<RawReport[]> {
  const { parser, keys } = await load();
  const typed = /\.[cm]?tsx?$/.test(file);
  const ast = parser.parse(text, {
    loc: true,
    range: true,
    jsx: !typed || file.endsWith(".tsx"),
    comment: false,
    errorOnUnknownASTType: false,
  }) as TSESTree.Program;
  const reports: RawReport[] = [];
  const listeners = new Map<string, Array<(node: never) => void>>();
  for (const rule of rules) {
    const context: RuleContext = {
      filename: file,
      sourceCode: { text, ast },
      report: (report) => reports.push({ rule, report }),
    };
    for (const [selector, listener] of Object.entries(rule.create(context))) {
      const list = listeners.get(selector) ?? [];
      list.push(listener);
      listeners.set(selector, list);
    }
  }
  // ESLint sets every parent before rules run; so do we (rules look up and down the tree).
  const order: Array<{ node: Node; exit: boolean }> = [];
  const visit = (node: Node, parent: Node | undefined): void => {
    (node as { parent?: Node | undefined }).parent = parent;
    order.push({ node, exit: false });
    for (const key of (keys as Record<string, readonly string[] | undefined>)[node.type] ?? []) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const child of value)
          if (child !== null && typeof child === "object" && "type" in child) visit(child as Node, node);
      } else if (value !== null && typeof value === "object" && "type" in value) visit(value as Node, node);
    }
    order.push({ node, exit: true });
  };
  visit(ast, undefined);
  try {
    for (const { node, exit } of order) {
      for (const listener of listeners.get(exit ? `${node.type}:exit` : node.type) ?? []) listener(node as never);
    }
  } catch (error) {
    throw new RuleCrash(error);
  }
  return reports;
}
