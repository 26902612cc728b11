import type { TSESTree } from "@typescript-eslint/types";
import { dottedName, some, unwrap } from "../lib/ast.js";
import { callsAny, handlersIn } from "../lib/handlers.js";
import { defineRule, type RuleListener } from "../rule.js";

const INVALIDATES =
  /^(destroy|regenerate|regenerateSession|logout|logOut|signOut|revokeSession|revoke|invalidate|delete)$/;

/**
 * `logout-invalidation`: a logout handler (route path or function named
 * logout/sign-out) that neither destroys nor regenerates the session
 * (clearing a key or the cookie leaves the server-side session valid).
 */
export const logoutInvalidation = defineRule({
  id: "logout-invalidation",
  severity: "high",
  title: "Logout that keeps the session alive",
  cwe: [613],
  fix: "req.session.destroy((err) => { if (err) return next(err); res.clearCookie('connect.sid'); res.redirect('/'); }) // cookie-session: req.session = null; sessionguard: await session.logout()",
  create(context): RuleListener {
    return {
      "Program:exit"(program: TSESTree.Program) {
        for (const handler of handlersIn(program, /(log|sign)[-_]?out/i, /^(handle)?(log|sign)[-_]?out$/i)) {
          if (callsAny(handler.functions, INVALIDATES)) continue;
          // cookie-session and koa-session end a session by assigning null.
          const nulls = handler.functions.some((f) =>
            some(
              f,
              (n) =>
                n.type === "AssignmentExpression" &&
                /(^|\.)session$/.test(dottedName(n.left) ?? "") &&
                ((unwrap(n.right).type === "Literal" && (unwrap(n.right) as TSESTree.Literal).value === null) ||
                  dottedName(n.right) === "undefined"),
            ),
          );
          if (nulls) continue;
          context.report({
            node: handler.at,
            message:
              "This logout neither destroys nor regenerates the session: the session id keeps working after logout for anyone who copied it.",
          });
        }
      },
    } as RuleListener;
  },
});
