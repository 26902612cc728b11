import type { TSESTree } from "@typescript-eslint/types";
import { enclosingFunctions, some } from "../lib/ast.js";
import { jwtCall } from "../lib/jwt.js";
import { defineRule, type RuleListener } from "../rule.js";

/**
 * `code-jwt-decode`: claims are read with `decode` in a function that never
 * verifies the token: the signature is not checked, so anyone can write the
 * claims.
 */
export const codeJwtDecode = defineRule({
  id: "code-jwt-decode",
  severity: "high",
  title: "JWT decoded where it must be verified",
  cwe: [345, 347],
  fix: "const claims = jwt.verify(token, key, { algorithms: ['HS256'] }) // jose: (await jwtVerify(token, key, { algorithms: ['ES256'] })).payload",
  create(context): RuleListener {
    return {
      CallExpression(call: TSESTree.CallExpression) {
        const jwt = jwtCall(call);
        if (jwt === undefined || jwt.kind !== "decode") return;
        const scope = enclosingFunctions(call)[0] ?? context.sourceCode.ast;
        const verifies = some(scope, (n) => n.type === "CallExpression" && jwtCall(n)?.kind === "verify");
        if (verifies) return;
        context.report({
          node: call,
          message: `${jwt.module} ${jwt.module === "jose" ? "decodeJwt" : "decode"}() reads the claims without checking the signature, and nothing here verifies the token: anyone can forge them.`,
        });
      },
    } as RuleListener;
  },
});
