import type { TSESTree } from "@typescript-eslint/types";
import { ancestors, calleeName, dottedName, keyName, resolve, some, stringValue, unwrap } from "../lib/ast.js";
import { defineRule, type Node, type RuleListener } from "../rule.js";

const SESSION_ID =
  /(^|\.)(sessionID|sessionId|session_id|sessid|sid|jsessionid|phpsessid)$|(^|\.)session\.id$|cookies\.(sid|connect\.sid|session|sessionid)$/i;
const REDIRECTS = /^(redirect|location)$/;
const ID_PARAM = /[?&;](sid|session_?id|sessid|jsessionid|phpsessid|token)=?$/i;
/** Query keys that name a session id outright: whatever fills them is one. */
const SESSION_PARAM = /[?&;](sid|session_?id|sessid|jsessionid|phpsessid)=$/i;

function isSessionId(node: Node, depth = 0): boolean {
  const n = unwrap(node);
  const name = dottedName(n);
  if (name !== undefined && SESSION_ID.test(name)) return true;
  if (depth < 4 && n.type === "Identifier") {
    const r = resolve(n);
    if (r !== n) return isSessionId(r, depth + 1);
  }
  if (n.type === "CallExpression" && calleeName(n) === "encodeURIComponent" && n.arguments[0] !== undefined)
    return isSessionId(n.arguments[0] as Node, depth + 1);
  return false;
}

function carriesSessionId(node: Node): boolean {
  return some(node, (n) => (n.type === "Identifier" || n.type === "MemberExpression") && isSessionId(n));
}

function isRedirectCall(n: Node): boolean {
  if (n.type !== "CallExpression") return false;
  const name = calleeName(n);
  if (name !== undefined && REDIRECTS.test(name)) return true;
  if (name === "setHeader" || name === "header" || name === "set") {
    const first = n.arguments[0];
    return first !== undefined && stringValue(first as Node)?.toLowerCase() === "location";
  }
  if (name === "writeHead") {
    return n.arguments.some(
      (a) =>
        a.type === "ObjectExpression" &&
        a.properties.some((p) => p.type === "Property" && keyName(p.key, p.computed)?.toLowerCase() === "location"),
    );
  }
  return false;
}

/**
 * `id-in-url`: the session id is written into a URL — a redirect, a
 * `Location` header, a link built with `?sid=…`, or `searchParams.set('sid', …)`
 * — where logs, history and Referer headers leak it.
 */
export const idInUrl = defineRule({
  id: "id-in-url",
  severity: "high",
  title: "Session id in a URL",
  cwe: [598],
  fix: "res.redirect('/account') // the session travels only in its HttpOnly cookie, never in a URL",
  create(context): RuleListener {
    return {
      CallExpression(call: TSESTree.CallExpression) {
        if (isRedirectCall(call)) {
          const args = call.arguments.slice(calleeName(call) === "redirect" || calleeName(call) === "location" ? 0 : 1);
          if (args.some((a) => carriesSessionId(a as Node)))
            context.report({
              node: call,
              message:
                "The session id is written into a redirect URL: it leaks into logs, history and Referer headers.",
            });
          return;
        }
        const name = calleeName(call);
        if ((name === "set" || name === "append") && /searchParams|query/i.test(dottedName(call.callee) ?? "")) {
          const [key, value] = call.arguments as Node[];
          if (key !== undefined && value !== undefined && isSessionId(value))
            context.report({ node: call, message: "The session id is put into a URL query string." });
        }
      },
      TemplateLiteral(node: TSESTree.TemplateLiteral) {
        if ([...ancestors(node)].some((a) => isRedirectCall(a))) return;
        node.expressions.forEach((e, i) => {
          const before = node.quasis[i]?.value.cooked ?? "";
          const value = unwrap(e as Node);
          const named = SESSION_PARAM.test(before) && value.type !== "Literal";
          if (named || (ID_PARAM.test(before) && isSessionId(e as Node)))
            context.report({ node, message: "A URL is built with the session id in its query string." });
        });
      },
      BinaryExpression(node: TSESTree.BinaryExpression) {
        if (node.operator !== "+" || [...ancestors(node)].some((a) => isRedirectCall(a))) return;
        const left = stringValue(node.left as Node);
        const named = left !== undefined && SESSION_PARAM.test(left) && unwrap(node.right).type !== "Literal";
        if (named || (left !== undefined && ID_PARAM.test(left) && isSessionId(node.right)))
          context.report({ node, message: "A URL is built with the session id in its query string." });
      },
    } as RuleListener;
  },
});
