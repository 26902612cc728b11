import type { TSESTree } from "@typescript-eslint/types";
import { callsAny, handlersIn } from "../lib/handlers.js";
import { moduleBindings } from "../lib/modules.js";
import { defineRule, type RuleListener } from "../rule.js";

const REVOKES = /^(credentialsChanged|revokeOthers|revokeUser|revokeAll\w*|destroyAll\w*|revokeSessions?)$/;

/**
 * `credential-change-invalidation`: a password-change handler in an app on
 * a library that can revoke a user's other sessions (sessionguard:
 * `session.credentialsChanged()`) does not call it, so a stolen session
 * survives the password change.
 */
export const credentialChangeInvalidation = defineRule({
  id: "credential-change-invalidation",
  severity: "high",
  title: "Password change without revoking other sessions",
  cwe: [613],
  fix: "await session.credentialsChanged() // sessionguard: new token here, every other session of the user revoked",
  create(context): RuleListener {
    return {
      "Program:exit"(program: TSESTree.Program) {
        const offersRevocation = [...moduleBindings(program).values()].some((b) => b.module.startsWith("sessionguard"));
        if (!offersRevocation) return;
        for (const handler of handlersIn(program, /password/i, /^(change|update|reset|set)_?password$/i)) {
          if (callsAny(handler.functions, REVOKES)) continue;
          context.report({
            node: handler.at,
            message:
              "This password change does not revoke the user's other sessions (sessionguard: session.credentialsChanged()): a stolen session survives it.",
          });
        }
      },
    } as RuleListener;
  },
});
