import type { TSESTree } from "@typescript-eslint/types";
import { objectOf, property } from "../lib/ast.js";
import { jwtCall } from "../lib/jwt.js";
import { defineRule, type RuleListener } from "../rule.js";

/** `jwt-expiry`: a JWT is signed without an expiry (`expiresIn`, `exp`, jose `setExpirationTime`). */
export const jwtExpiry = defineRule({
  id: "jwt-expiry",
  severity: "medium",
  title: "JWT signed without expiry",
  cwe: [613],
  fix: "jwt.sign(payload, key, { algorithm: 'HS256', expiresIn: '15m' }) // jose: .setExpirationTime('15m')",
  create(context): RuleListener {
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const jwt = jwtCall(call);
        if (jwt === undefined || jwt.kind !== "sign") return;
        if (jwt.module === "jose") {
          if (jwt.chain.includes("setExpirationTime")) return;
          const payload = objectOf(jwt.payload);
          if (jwt.payload !== undefined && payload === undefined) return;
          if (payload !== undefined && property(payload, "exp") !== undefined) return;
          context.report({ node: call, message: "jose SignJWT without setExpirationTime(): the token never expires." });
          return;
        }
        if (jwt.options !== undefined) {
          const options = objectOf(jwt.options);
          if (options === undefined) return;
          if (property(options, "expiresIn") !== undefined) return;
        }
        if (jwt.payload !== undefined) {
          const payload = objectOf(jwt.payload);
          if (payload === undefined) return;
          if (property(payload, "exp") !== undefined) return;
        }
        context.report({
          node: call,
          message: "jsonwebtoken sign() without expiresIn (and no exp claim): the token is valid forever once issued.",
        });
      },
    } as RuleListener;
  },
});
