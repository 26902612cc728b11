import type { TSESTree } from "@typescript-eslint/types";
import type { Severity } from "../report/model.js";

/** Where every rule's documentation lives; each rule links to its own section. */
export const DOCS_BASE = "https://github.com/sessionguard/sessionguard/blob/main/docs/static-checks.md";

/** AST node as produced by the TypeScript ESTree parser, with the `parent` link ESLint also sets. */
export type Node = TSESTree.Node;

/** What a rule reports: ESLint's report descriptor (node + message) plus sessionguard's own severity override. */
export interface RuleReport {
  readonly node: Node;
  readonly message: string;
  /** `data.severity` overrides the rule's severity for this finding (ESLint ignores unused data keys). */
  readonly data?: { readonly severity?: Severity };
}

/**
 * The subset of ESLint's `RuleContext` the rules use, so the same rule object
 * runs in ESLint 9 and in `sessionguard check`'s own runner.
 */
export interface RuleContext {
  readonly filename: string;
  readonly sourceCode: { readonly text: string; readonly ast: TSESTree.Program };
  report(descriptor: RuleReport): void;
}

/** Node-type listeners (`CallExpression`, `Program:exit`, …) as in ESLint. */
export type RuleListener = Record<string, (node: never) => void>;

/**
 * A JS/TS rule: a valid ESLint rule (`meta`, `create`) that also carries
 * sessionguard's catalogue data (id, default severity, the fix as code).
 */
export interface SessionRule {
  /** SPEC §2.3 id where one fits, else a `code-*` id; also the ESLint rule name. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** The fix, as code to paste. */
  readonly fix: string;
  readonly cwe: readonly number[];
  readonly meta: {
    readonly type: "problem";
    readonly docs: { readonly description: string; readonly url: string; readonly recommended: true };
    readonly schema: readonly [];
  };
  create(context: RuleContext): RuleListener;
}

/** Builds a rule with its `meta` derived from the catalogue fields. */
export function defineRule(rule: Omit<SessionRule, "meta">): SessionRule {
  return {
    ...rule,
    meta: {
      type: "problem",
      docs: { description: rule.title, url: `${DOCS_BASE}#${rule.id}`, recommended: true },
      schema: [],
    },
  };
}
