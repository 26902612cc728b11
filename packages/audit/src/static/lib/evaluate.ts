import type { Node } from "../rule.js";
import { dottedName, keyName, resolve, some, unwrap } from "./ast.js";

/** A value that static evaluation could not determine. */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** Result of {@link evaluate}. */
export type StaticValue = string | number | boolean | null | undefined | typeof UNKNOWN;

/** Environment variables assumed during evaluation; unset variables are `undefined`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What production gets: `NODE_ENV=production`, nothing else set. */
export const PRODUCTION: Environment = { NODE_ENV: "production" };
/** What a development run gets: `NODE_ENV=development`. */
export const DEVELOPMENT: Environment = { NODE_ENV: "development" };

function envName(node: Node): string | undefined {
  const name = dottedName(node);
  if (name?.startsWith("process.env.") === true) return name.slice("process.env.".length);
  if (name?.startsWith("import.meta.env.") === true) return name.slice("import.meta.env.".length);
  const n = unwrap(node);
  // app.get("env") is Express's NODE_ENV (default "development").
  if (n.type === "CallExpression" && dottedName(n.callee)?.endsWith(".get") === true) {
    const arg = n.arguments[0];
    if (arg !== undefined && arg.type === "Literal" && arg.value === "env") return "NODE_ENV";
  }
  if (n.type === "MemberExpression" && n.object.type === "MetaProperty") return keyName(n.property, n.computed);
  return undefined;
}

/** Whether an expression reads the environment (`process.env.*`, `app.get("env")`). */
export function readsEnvironment(node: Node): boolean {
  return some(resolve(node), (n) => envName(n) !== undefined);
}

/**
 * Evaluates a small expression language (literals, same-file constants,
 * environment variables, comparisons, `!`, `&&`, `||`, `??`, `?:`) under
 * `env`. Anything else is {@link UNKNOWN}.
 */
export function evaluate(node: Node, env: Environment, depth = 0): StaticValue {
  if (depth > 12) return UNKNOWN;
  const n = resolve(node);
  const env1 = envName(n);
  if (env1 !== undefined) return env[env1];
  switch (n.type) {
    case "Literal":
      return n.value instanceof RegExp || typeof n.value === "bigint" ? UNKNOWN : n.value;
    case "TemplateLiteral":
      return n.expressions.length === 0 ? (n.quasis[0]?.value.cooked ?? UNKNOWN) : UNKNOWN;
    case "Identifier":
      return n.name === "undefined" ? undefined : UNKNOWN;
    case "UnaryExpression": {
      if (n.operator === "void") return undefined;
      const v = evaluate(n.argument, env, depth + 1);
      if (v === UNKNOWN) return UNKNOWN;
      if (n.operator === "!") return !v;
      if (n.operator === "-" && typeof v === "number") return -v;
      return UNKNOWN;
    }
    case "LogicalExpression": {
      const left = evaluate(n.left, env, depth + 1);
      if (left === UNKNOWN) return UNKNOWN;
      if (n.operator === "&&") return left ? evaluate(n.right, env, depth + 1) : left;
      if (n.operator === "||") return left ? left : evaluate(n.right, env, depth + 1);
      return left ?? evaluate(n.right, env, depth + 1);
    }
    case "ConditionalExpression": {
      const test = evaluate(n.test, env, depth + 1);
      if (test === UNKNOWN) return UNKNOWN;
      return evaluate(test ? n.consequent : n.alternate, env, depth + 1);
    }
    case "BinaryExpression": {
      if (n.left.type === "PrivateIdentifier") return UNKNOWN;
      const a = evaluate(n.left, env, depth + 1);
      const b = evaluate(n.right, env, depth + 1);
      if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
      switch (n.operator) {
        case "===":
          return a === b;
        case "!==":
          return a !== b;
        case "==":
          // biome-ignore lint/suspicious/noDoubleEquals: evaluating the source's own loose comparison
          return a == b;
        case "!=":
          // biome-ignore lint/suspicious/noDoubleEquals: evaluating the source's own loose comparison
          return a != b;
        case "*":
          return typeof a === "number" && typeof b === "number" ? a * b : UNKNOWN;
        case "+":
          if (typeof a === "number" && typeof b === "number") return a + b;
          if (typeof a === "string" && typeof b === "string") return a + b;
          return UNKNOWN;
        default:
          return UNKNOWN;
      }
    }
    default:
      return UNKNOWN;
  }
}
