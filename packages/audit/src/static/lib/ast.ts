import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";

type Parented = Node & { parent?: Node | null };

/** The parent of a node (set by ESLint, where the Program's is `null`, and by the runner). */
export function parentOf(node: Node): Node | undefined {
  return (node as Parented).parent ?? undefined;
}

/** Ancestors, nearest first. */
export function* ancestors(node: Node): Generator<Node> {
  for (let p = parentOf(node); p !== undefined; p = parentOf(p)) yield p;
}

/** Whether a node is a function of any kind. */
export function isFunction(
  node: Node,
): node is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return (
    node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression"
  );
}

/** Functions around a node, nearest first. */
export function enclosingFunctions(node: Node): Node[] {
  return [...ancestors(node)].filter(isFunction);
}

/** Drops TypeScript wrappers (`x as T`, `x!`, `<T>x`, `x satisfies T`) and parentheses. */
export function unwrap(node: Node): Node {
  let n = node;
  while (
    n.type === "TSAsExpression" ||
    n.type === "TSNonNullExpression" ||
    n.type === "TSTypeAssertion" ||
    n.type === "TSSatisfiesExpression" ||
    n.type === "AwaitExpression" ||
    n.type === "ChainExpression"
  ) {
    n = n.type === "ChainExpression" ? n.expression : n.type === "AwaitExpression" ? n.argument : n.expression;
  }
  return n;
}

/** Name of a property key or member property (`a.b`, `a["b"]`, `{ b: 1 }`), or undefined when computed. */
export function keyName(key: Node, computed: boolean): string | undefined {
  if (!computed && (key.type === "Identifier" || key.type === "PrivateIdentifier")) return key.name;
  if (key.type === "Literal" && (typeof key.value === "string" || typeof key.value === "number"))
    return String(key.value);
  if (key.type === "TemplateLiteral" && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `obj.prop` → "prop" for a member expression. */
export function memberName(node: Node): string | undefined {
  const n = unwrap(node);
  return n.type === "MemberExpression" ? keyName(n.property, n.computed) : undefined;
}

/** Dotted path of a member chain of identifiers (`req.session.user`), or undefined. */
export function dottedName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === "Identifier") return n.name;
  if (n.type === "ThisExpression") return "this";
  if (n.type === "MemberExpression") {
    const object = dottedName(n.object);
    const property = keyName(n.property, n.computed);
    return object === undefined || property === undefined ? undefined : `${object}.${property}`;
  }
  return undefined;
}

/** The callee's last name: `a.b.c()` → "c", `f()` → "f". */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === "Identifier") return callee.name;
  return memberName(callee);
}

/** The program a node belongs to. */
export function programOf(node: Node): TSESTree.Program | undefined {
  let n: Node | undefined = node;
  while (n !== undefined && n.type !== "Program") n = parentOf(n);
  return n;
}

/** Visits every node below `root` (depth first), children by enumerable keys. */
export function walk(root: Node, visit: (node: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (const key of Object.keys(node)) {
      if (key === "parent" || key === "loc" || key === "range" || key === "tokens" || key === "comments") continue;
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i] as Node | null;
          if (child !== null && typeof child === "object" && typeof child.type === "string") stack.push(child);
        }
      } else if (value !== null && typeof value === "object" && typeof (value as Node).type === "string") {
        stack.push(value as Node);
      }
    }
  }
}

/** Whether any node below `root` satisfies `test`. */
export function some(root: Node, test: (node: Node) => boolean): boolean {
  let found = false;
  walk(root, (n) => {
    if (!found && test(n)) found = true;
  });
  return found;
}

const declarationCache = new WeakMap<TSESTree.Program, Map<string, Node[]>>();

/**
 * Values bound to a name anywhere in the file: `const x = …` initialisers and
 * later `x = …` assignments, in source order. Scope is ignored on purpose:
 * session configuration is written once per file, and following simple
 * assignments across the file is what finds it.
 */
export function bindingsOf(program: TSESTree.Program, name: string): Node[] {
  let map = declarationCache.get(program);
  if (map === undefined) {
    const built = new Map<string, Node[]>();
    const add = (key: string, value: Node): void => {
      const list = built.get(key);
      if (list === undefined) built.set(key, [value]);
      else list.push(value);
    };
    walk(program, (n) => {
      if (n.type === "VariableDeclarator" && n.id.type === "Identifier" && n.init !== null) add(n.id.name, n.init);
      else if (n.type === "AssignmentExpression" && n.operator === "=" && n.left.type === "Identifier")
        add(n.left.name, n.right);
      else if (n.type === "FunctionDeclaration" && n.id !== null) add(n.id.name, n);
    });
    map = built;
    declarationCache.set(program, map);
  }
  return map.get(name) ?? [];
}

/**
 * Follows identifiers to the value they hold (the last binding in the file)
 * and member chains into same-file object literals. Returns the node itself
 * when it cannot be followed further.
 */
export function resolve(node: Node, depth = 0): Node {
  const n = unwrap(node);
  if (depth > 8) return n;
  const program = programOf(n);
  if (program === undefined) return n;
  if (n.type === "Identifier") {
    const values = bindingsOf(program, n.name);
    const last = values[values.length - 1];
    return last === undefined || last === n ? n : resolve(last, depth + 1);
  }
  if (n.type === "MemberExpression") {
    const object = resolve(n.object, depth + 1);
    const name = keyName(n.property, n.computed);
    if (object.type === "ObjectExpression" && name !== undefined) {
      const found = property(object, name);
      if (found !== undefined && found !== "unknown") return resolve(found, depth + 1);
    }
  }
  return n;
}

/**
 * The value of a property of an object literal, following spreads of
 * same-file objects (a later property wins). `"unknown"` when a spread or a
 * computed key could have set it.
 */
export function property(object: TSESTree.ObjectExpression, name: string, depth = 0): Node | "unknown" | undefined {
  let result: Node | "unknown" | undefined;
  for (const p of object.properties) {
    if (p.type === "SpreadElement") {
      const spread = resolve(p.argument);
      if (spread.type === "ObjectExpression" && depth < 8) {
        const inner = property(spread, name, depth + 1);
        if (inner !== undefined) result = inner;
      } else {
        result = "unknown";
      }
    } else {
      const key = keyName(p.key, p.computed);
      if (key === name) result = p.value as Node;
      else if (key === undefined) result = "unknown";
    }
  }
  return result;
}

/** The object literal an expression resolves to, or undefined. */
export function objectOf(node: Node | undefined): TSESTree.ObjectExpression | undefined {
  if (node === undefined) return undefined;
  const r = resolve(node);
  return r.type === "ObjectExpression" ? r : undefined;
}

/** The string value of a literal or a plain template, or undefined. */
export function stringValue(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === "Literal" && typeof n.value === "string") return n.value;
  if (n.type === "TemplateLiteral" && n.expressions.length === 0) return n.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** Source text of a node. */
export function textOf(source: string, node: Node): string {
  return source.slice(node.range[0], node.range[1]);
}
