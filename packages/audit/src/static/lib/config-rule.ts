import type { TSESTree } from "@typescript-eslint/types";
import type { RuleContext, RuleListener, SessionRule } from "../rule.js";
import { defineRule } from "../rule.js";
import { configsAt, type SessionConfig } from "./session-config.js";

/** Builds a rule that inspects every session configuration of a file. */
export function configRule(
  rule: Omit<SessionRule, "meta" | "create">,
  check: (config: SessionConfig, context: RuleContext) => void,
): SessionRule {
  return defineRule({
    ...rule,
    create(context): RuleListener {
      const visit = (call: TSESTree.CallExpression | TSESTree.NewExpression): void => {
        for (const config of configsAt(call)) check(config, context);
      };
      return { CallExpression: visit, NewExpression: visit } as RuleListener;
    },
  });
}
