import type { TSESTree } from "@typescript-eslint/types";
import { objectOf, property } from "../lib/ast.js";
import { jwtCall } from "../lib/jwt.js";
import { defineRule, type RuleListener } from "../rule.js";

/**
 * `code-jwt-no-algorithms`: a JWT is verified without a fixed list of
 * algorithms, so the token's own `alg` header chooses how it is checked
 * (algorithm confusion: an HMAC forged with the RSA public key; `none` in
 * old jsonwebtoken versions).
 */
export const codeJwtNoAlgorithms = defineRule({
  id: "code-jwt-no-algorithms",
  severity: "high",
  title: "JWT verified without a fixed algorithm list",
  cwe: [327, 347],
  fix: "jwt.verify(token, key, { algorithms: ['HS256'] }) // jose: jwtVerify(token, key, { algorithms: ['ES256'] })",
  create(context): RuleListener {
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const jwt = jwtCall(call);
        if (jwt === undefined || jwt.kind !== "verify") return;
        if (jwt.options !== undefined) {
          const options = objectOf(jwt.options);
          if (options === undefined) return;
          const algorithms = property(options, "algorithms");
          if (algorithms !== undefined) return;
        }
        context.report({
          node: call,
          message:
            jwt.module === "jsonwebtoken"
              ? "jsonwebtoken verify() without options.algorithms: the token's alg header decides how it is checked (algorithm confusion)."
              : "jose jwtVerify() without options.algorithms: every algorithm the key allows is accepted; pin the one you issue.",
          data: { severity: jwt.module === "jose" ? "low" : "high" },
        });
      },
    } as RuleListener;
  },
});
