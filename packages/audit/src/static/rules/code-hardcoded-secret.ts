import type { TSESTree } from "@typescript-eslint/types";
import { dottedName, memberName, programOf } from "../lib/ast.js";
import { jwtCall } from "../lib/jwt.js";
import { moduleBindings } from "../lib/modules.js";
import { hardcodedSecret, secretMessage } from "../lib/secret.js";
import { configsAt, option } from "../lib/session-config.js";
import { defineRule, type RuleListener } from "../rule.js";

/**
 * `code-hardcoded-secret`: a session secret, cookie-signing key, session
 * encryption password or JWT key written into the source (also as the
 * fallback of an environment variable). Short ones are critical.
 */
export const codeHardcodedSecret = defineRule({
  id: "code-hardcoded-secret",
  severity: "high",
  title: "Hard-coded session or token secret",
  cwe: [798, 321],
  fix: "secret: process.env.SESSION_SECRET // 32+ random bytes, e.g. openssl rand -base64 48; fail at startup when unset",
  create(context): RuleListener {
    const visit = (call: TSESTree.CallExpression | TSESTree.NewExpression): void => {
      for (const config of configsAt(call)) {
        for (const key of config.profile.secretKeys) {
          const value = option(config, key);
          if (typeof value !== "object") continue;
          const secret = hardcodedSecret(value);
          if (secret === undefined) continue;
          const { message, severity } = secretMessage(`${config.profile.library}: ${key}`, secret);
          context.report({ node: value, message, data: { severity } });
        }
      }
      if (call.type !== "CallExpression") return;
      const jwt = jwtCall(call);
      if (jwt === undefined || jwt.key === undefined) return;
      const secret = hardcodedSecret(jwt.key);
      if (secret === undefined) return;
      const { message, severity } = secretMessage(`${jwt.module} ${jwt.kind} key`, secret);
      context.report({ node: jwt.key, message, data: { severity } });
    };
    return {
      CallExpression: visit,
      NewExpression: visit,
      // Koa signs its session cookie with app.keys.
      AssignmentExpression(node: TSESTree.AssignmentExpression) {
        if (memberName(node.left) !== "keys") return;
        const program = programOf(node);
        if (program === undefined) return;
        const usesKoa = [...moduleBindings(program).values()].some(
          (b) => b.module === "koa" || b.module === "koa-session",
        );
        if (!usesKoa || dottedName(node.left) === undefined) return;
        const secret = hardcodedSecret(node.right);
        if (secret === undefined) return;
        const { message, severity } = secretMessage("Koa app.keys (signs koa-session cookies)", secret);
        context.report({ node: node.right, message, data: { severity } });
      },
    } as RuleListener;
  },
});
