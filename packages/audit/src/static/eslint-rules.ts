/**
 * The entry point `eslint-plugin-sessionguard` imports (`@sessionguard/audit/eslint-rules`):
 * the rule registry and its types, without the parsers or the CLI.
 */
export type { RuleContext, RuleListener, SessionRule } from "./rule.js";
export { DOCS_BASE } from "./rule.js";
export { JS_RULES } from "./rules/index.js";
