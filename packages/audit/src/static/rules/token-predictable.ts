import type { TSESTree } from "@typescript-eslint/types";
import {
  calleeName,
  enclosingFunctions,
  isFunction,
  keyName,
  memberName,
  resolve,
  some,
  stringValue,
  textOf,
} from "../lib/ast.js";
import { predictableSource, returnedValues } from "../lib/predictable.js";
import { configsAt, option } from "../lib/session-config.js";
import { defineRule, type Node, type RuleContext, type RuleListener } from "../rule.js";

/** Names of variables, properties and functions that hold a session id or a token. */
export const TOKEN_NAME =
  /(token|session_?id|sess_?id|^sid$|^genid$|nonce|csrf|api_?key|reset_?code|^gen(erate)?_?(session_?)?id$)/i;

/** Cookie-writing calls: `res.cookie(name, v)`, `reply.setCookie(name, v)`, `ctx.cookies.set(name, v)`, `cookie.serialize(name, v)`. */
const COOKIE_WRITERS = /^(cookie|setCookie|serialize|serializeCookie)$/;

/** Whether a name is a token-holding identifier (`sessionId`, `resetToken`), not a label with spaces. */
function tokenNamed(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name) && TOKEN_NAME.test(name);
}

function report(context: RuleContext, node: Node, value: Node, where: string): boolean {
  const source = predictableSource(value);
  if (source === undefined) return false;
  context.report({
    node,
    message: `${where} comes from ${source}, which an attacker can predict or enumerate: use crypto.randomBytes(32) (or randomUUID) for ids and tokens.`,
  });
  return true;
}

function functionName(fn: Node): string | undefined {
  if (fn.type === "FunctionDeclaration" && fn.id !== null) return fn.id.name;
  const parent = (fn as Node & { parent?: Node }).parent;
  if (parent?.type === "VariableDeclarator" && parent.id.type === "Identifier") return parent.id.name;
  if ((parent?.type === "Property" || parent?.type === "MethodDefinition") && !parent.computed)
    return keyName(parent.key, false);
  return undefined;
}

function returnsToken(fn: Node, source: string): boolean {
  const name = functionName(fn);
  if (name !== undefined && TOKEN_NAME.test(name)) return true;
  if (isFunction(fn) && fn.returnType !== undefined) return /token|sessionid/i.test(textOf(source, fn.returnType));
  return false;
}

/**
 * `token-predictable`: a session id, cookie value or token is built from
 * `Math.random`, `Date.now`, a counter or uuid v1 — only when the value
 * reaches a cookie, a `genid` option or a token-named variable, property or
 * function (a `Math.random` shuffle is not a finding).
 */
export const tokenPredictable = defineRule({
  id: "token-predictable",
  severity: "critical",
  title: "Predictable session id or token",
  cwe: [330, 338],
  fix: "import { randomBytes } from 'node:crypto';\nconst token = randomBytes(32).toString('base64url');",
  create(context): RuleListener {
    const text = context.sourceCode.text;
    const reported = new Set<Node>();
    const once = (node: Node, value: Node, where: string): void => {
      if (reported.has(node)) return;
      if (report(context, node, value, where)) reported.add(node);
    };
    const checkFunction = (fn: Node, where: string): void => {
      for (const value of returnedValues(fn)) {
        const r = resolve(value);
        if (isFunction(r)) for (const inner of returnedValues(r)) once(inner, inner, where);
        else once(value, value, where);
      }
    };
    return {
      CallExpression(call: TSESTree.CallExpression) {
        for (const config of configsAt(call)) {
          for (const key of ["genid", "idGenerator"]) {
            const value = option(config, key);
            if (typeof value !== "object") continue;
            const fn = resolve(value);
            if (isFunction(fn)) checkFunction(fn, `${config.profile.library}: ${key}'s session id`);
          }
        }
        const name = calleeName(call);
        if (name === undefined) return;
        const args = call.arguments as Node[];
        const callee = call.callee;
        const cookieJarSet =
          name === "set" && callee.type === "MemberExpression" && /cookies$/i.test(textOf(text, callee.object));
        if (COOKIE_WRITERS.test(name) || cookieJarSet) {
          const value = args[1];
          if (value !== undefined) once(value, value, "A cookie value");
        }
        if (name === "setHeader" && args[0] !== undefined && stringValue(args[0])?.toLowerCase() === "set-cookie") {
          const value = args[1];
          if (value !== undefined) once(value, value, "A Set-Cookie header");
        }
      },
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        if (node.id.type !== "Identifier" || node.init === null || !TOKEN_NAME.test(node.id.name)) return;
        if (isFunction(node.init)) return;
        once(node.init, node.init, `${node.id.name}`);
      },
      AssignmentExpression(node: TSESTree.AssignmentExpression) {
        const name = node.left.type === "Identifier" ? node.left.name : memberName(node.left);
        if (name === undefined || !tokenNamed(name) || isFunction(node.right)) return;
        once(node.right, node.right, name);
      },
      Property(node: TSESTree.Property) {
        const name = keyName(node.key, node.computed);
        if (name === undefined || !tokenNamed(name) || isFunction(resolve(node.value as Node))) return;
        if (
          node.value.type === "AssignmentPattern" ||
          node.value.type === "ObjectPattern" ||
          node.value.type === "ArrayPattern"
        )
          return;
        once(node.value as Node, node.value as Node, name);
      },
      "ReturnStatement:exit"(node: TSESTree.ReturnStatement) {
        const fn = enclosingFunctions(node)[0];
        if (fn === undefined || node.argument === null || !returnsToken(fn, text)) return;
        // `return token` after `const token = …`: the declaration is the finding.
        // A return value that reads a token-named variable: the variable's declaration is the finding.
        if (some(node.argument, (n) => n.type === "Identifier" && TOKEN_NAME.test(n.name) && n !== fn)) return;
        const value = resolve(node.argument);
        if (isFunction(value)) checkFunction(value, `The token generator ${functionName(fn) ?? ""}`.trim());
        else once(node.argument, node.argument, `The token returned by ${functionName(fn) ?? "this function"}`);
      },
      "ArrowFunctionExpression:exit"(node: TSESTree.ArrowFunctionExpression) {
        if (node.body.type === "BlockStatement" || !returnsToken(node, text)) return;
        once(node.body, node.body, `The token returned by ${functionName(node) ?? "this function"}`);
      },
    } as RuleListener;
  },
});
