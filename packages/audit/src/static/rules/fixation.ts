import type { TSESTree } from "@typescript-eslint/types";
import { calleeName, dottedName, enclosingFunctions, memberName, some, stringValue, unwrap } from "../lib/ast.js";
import { defineRule, type Node, type RuleListener } from "../rule.js";

/** Session keys that mean "this session is now authenticated". */
export const AUTH_KEY =
  /^(user|users?_?id|uid|account|account_?id|username|user_?name|email|authenticated|is_?authenticated|logged_?in|is_?logged_?in|auth|is_?admin|role)$/i;

/** Calls that give the session a new id (express-session/@fastify/session `regenerate`, koa `regenerateSession`, sessionguard `login`, passport ≥ 0.6 `req.login`). */
const REGENERATES = /^(regenerate|regenerateSession|regenerateId|login|logIn)$/;

function regeneratesAround(node: Node): boolean {
  // A reference counts too: promisify(req.session.regenerate.bind(req.session)).
  return enclosingFunctions(node).some((f) =>
    some(
      f,
      (n) =>
        (n.type === "CallExpression" && REGENERATES.test(calleeName(n) ?? "")) ||
        (n.type === "MemberExpression" && REGENERATES.test(memberName(n) ?? "")),
    ),
  );
}

/** `null`, `undefined`, `false`: clearing a key is a logout, not a login. */
function clears(value: Node | undefined): boolean {
  if (value === undefined) return false;
  const n = unwrap(value);
  return (
    (n.type === "Literal" && (n.value === null || n.value === false)) ||
    (n.type === "Identifier" && n.name === "undefined")
  );
}

/**
 * `fixation`: a handler marks the session as authenticated (`req.session.user = …`,
 * `request.session.set('userId', …)`, sessionguard `session.set('user', …)`)
 * without giving it a new id first, so an id planted before login stays valid after it.
 */
export const fixation = defineRule({
  id: "fixation",
  severity: "high",
  title: "Login without a new session id",
  cwe: [384],
  fix: "req.session.regenerate((err) => { if (err) return next(err); req.session.user = user.id; res.redirect('/'); }) // sessionguard: await session.login(user.id)",
  create(context): RuleListener {
    const check = (node: Node, key: string | undefined, value: Node | undefined): void => {
      if (key === undefined || !AUTH_KEY.test(key) || clears(value)) return;
      if (enclosingFunctions(node).length === 0 || regeneratesAround(node)) return;
      context.report({
        node,
        message: `The session is marked as signed in (${key}) without a new session id (regenerate): an id an attacker planted before login stays valid after it (session fixation).`,
      });
    };
    return {
      AssignmentExpression(node: TSESTree.AssignmentExpression) {
        const left = unwrap(node.left);
        if (left.type !== "MemberExpression") return;
        const object = dottedName(left.object);
        if (object === undefined || !/(^|\.)session$/.test(object) || /^ctx\b|^this\b/.test(object)) return;
        check(node, memberName(left), node.right);
      },
      CallExpression(node: TSESTree.CallExpression) {
        if (calleeName(node) !== "set") return;
        const callee = unwrap(node.callee);
        if (callee.type !== "MemberExpression") return;
        const object = dottedName(callee.object);
        if (object === undefined || !/(^|\.)session$/i.test(object)) return;
        const first = node.arguments[0];
        check(
          node,
          first === undefined ? undefined : stringValue(first as Node),
          node.arguments[1] as Node | undefined,
        );
      },
    } as RuleListener;
  },
});
