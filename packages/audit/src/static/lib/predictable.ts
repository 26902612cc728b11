import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";
import { bindingsOf, calleeName, dottedName, isFunction, programOf, unwrap, walk } from "./ast.js";
import { calledExport } from "./modules.js";

/** Calls that draw from a CSPRNG: their presence makes a value unpredictable whatever else is mixed in. */
const CSPRNG =
  /^(randomBytes|randomUUID|getRandomValues|randomInt|randomFillSync|randomFill|nanoid|uid|uidSync|generateToken|generateKey)$/;

/** Why a value is predictable, or undefined. */
export type PredictableSource = "Math.random" | "Date.now" | "the clock" | "a counter" | "uuid v1";

function directSource(n: Node): PredictableSource | undefined {
  if (n.type === "CallExpression") {
    const name = dottedName(n.callee);
    if (name === "Math.random") return "Math.random";
    if (name === "Date.now" || name === "performance.now") return "Date.now";
    if (name === "process.hrtime" || name === "process.hrtime.bigint") return "the clock";
    const program = programOf(n);
    const target = program === undefined ? undefined : calledExport(program, n.callee);
    if (target?.module === "uuid" && target.name === "v1") return "uuid v1";
    const callee = unwrap(n.callee);
    if (
      callee.type === "MemberExpression" &&
      (calleeName(n) === "getTime" || calleeName(n) === "valueOf") &&
      unwrap(callee.object).type === "NewExpression" &&
      dottedName((unwrap(callee.object) as TSESTree.NewExpression).callee) === "Date"
    )
      return "the clock";
  }
  if (n.type === "UnaryExpression" && n.operator === "+" && unwrap(n.argument).type === "NewExpression") {
    if (dottedName((unwrap(n.argument) as TSESTree.NewExpression).callee) === "Date") return "the clock";
  }
  if (n.type === "UpdateExpression" && n.operator === "++") return "a counter";
  if (n.type === "AssignmentExpression" && n.operator === "+=") {
    const right = unwrap(n.right);
    if (right.type === "Literal" && right.value === 1) return "a counter";
  }
  return undefined;
}

function usesCsprng(n: Node): boolean {
  return (n.type === "CallExpression" || n.type === "NewExpression") && CSPRNG.test(calleeName(n) ?? "");
}

/**
 * Whether an expression's value comes from a predictable source (Math.random,
 * the clock, a counter, uuid v1), directly or through same-file variables and
 * local functions, and has no CSPRNG part. Hashing does not help: md5 of a
 * counter is as predictable as the counter.
 */
export function predictableSource(expr: Node, depth = 0, seen = new Set<Node>()): PredictableSource | undefined {
  if (depth > 6 || seen.has(expr)) return undefined;
  seen.add(expr);
  let source: PredictableSource | undefined;
  let secure = false;
  walk(expr, (n) => {
    if (secure) return;
    if (usesCsprng(n)) {
      secure = true;
      return;
    }
    if (source !== undefined) return;
    if (isFunction(n) && n !== expr) return;
    source = directSource(n);
    if (source !== undefined) return;
    const program = programOf(n);
    if (program === undefined) return;
    let name: string | undefined;
    if (n.type === "Identifier") name = n.name;
    else if (n.type === "CallExpression" && unwrap(n.callee).type === "Identifier")
      name = (unwrap(n.callee) as TSESTree.Identifier).name;
    if (name === undefined) return;
    const parent = (n as Node & { parent?: Node }).parent;
    // The name being declared or a property key is not a read.
    if (parent?.type === "VariableDeclarator" && parent.id === n) return;
    if (parent?.type === "Property" && parent.key === n && !parent.computed) return;
    if (parent?.type === "MemberExpression" && parent.property === n && !parent.computed) return;
    for (const value of bindingsOf(program, name)) {
      if (value === expr) continue;
      // A local function's returned values count; a returned function (a generator factory)
      // is judged where it is defined, not at every call.
      const target = isFunction(value) ? returnedValues(value).filter((r) => !isFunction(unwrap(r))) : [value];
      for (const t of target) {
        const found = predictableSource(t, depth + 1, seen);
        if (found !== undefined) {
          source = found;
          return;
        }
      }
    }
  });
  return secure ? undefined : source;
}

/** The expressions a function returns (a concise arrow's body, `return x` statements not in nested functions). */
export function returnedValues(fn: Node): Node[] {
  if (!isFunction(fn)) return [];
  if (fn.body.type !== "BlockStatement") return [fn.body];
  const values: Node[] = [];
  const visit = (n: Node): void => {
    if (n.type === "ReturnStatement" && n.argument !== null) values.push(n.argument);
    for (const key of Object.keys(n)) {
      if (key === "parent" || key === "loc" || key === "range") continue;
      const value = (n as unknown as Record<string, unknown>)[key];
      const children = Array.isArray(value) ? value : [value];
      for (const c of children)
        if (c !== null && typeof c === "object" && typeof (c as Node).type === "string" && !isFunction(c as Node))
          visit(c as Node);
    }
  };
  visit(fn.body);
  return values;
}
