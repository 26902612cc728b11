import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";
import { keyName, stringValue, unwrap, walk } from "./ast.js";

/** What a local name is bound to: `default`, `*` (namespace or CommonJS module object) or a named export. */
export interface ModuleBinding {
  readonly module: string;
  readonly imported: string;
}

const cache = new WeakMap<TSESTree.Program, Map<string, ModuleBinding>>();

function requiredModule(node: Node): { module: string; path: string[] } | undefined {
  let n = unwrap(node);
  const path: string[] = [];
  while (n.type === "MemberExpression") {
    const name = keyName(n.property, n.computed);
    if (name === undefined) return undefined;
    path.unshift(name);
    n = unwrap(n.object);
  }
  if (n.type === "CallExpression" && n.callee.type === "Identifier" && n.callee.name === "require") {
    const arg = n.arguments[0];
    const module = arg === undefined ? undefined : stringValue(arg);
    return module === undefined ? undefined : { module, path };
  }
  if (n.type === "ImportExpression") {
    const module = stringValue(n.source);
    return module === undefined ? undefined : { module, path };
  }
  return undefined;
}

/**
 * Local names bound to modules in a file: ESM imports, `require()` (also
 * destructured or with a member, `require("x").y`) and `await import()`.
 */
export function moduleBindings(program: TSESTree.Program): Map<string, ModuleBinding> {
  const cached = cache.get(program);
  if (cached !== undefined) return cached;
  const map = new Map<string, ModuleBinding>();
  walk(program, (n) => {
    if (n.type === "ImportDeclaration") {
      const module = n.source.value;
      for (const s of n.specifiers) {
        if (s.type === "ImportDefaultSpecifier") map.set(s.local.name, { module, imported: "default" });
        else if (s.type === "ImportNamespaceSpecifier") map.set(s.local.name, { module, imported: "*" });
        else map.set(s.local.name, { module, imported: keyName(s.imported, false) ?? "default" });
      }
    } else if (n.type === "VariableDeclarator" && n.init !== null) {
      const required = requiredModule(n.init);
      if (required === undefined) return;
      const base = required.path[0] ?? "*";
      if (n.id.type === "Identifier") {
        map.set(n.id.name, { module: required.module, imported: required.path.length === 0 ? "*" : base });
      } else if (n.id.type === "ObjectPattern") {
        for (const p of n.id.properties) {
          if (p.type !== "Property") continue;
          const name = keyName(p.key, p.computed);
          const local = p.value.type === "Identifier" ? p.value.name : undefined;
          if (name !== undefined && local !== undefined) map.set(local, { module: required.module, imported: name });
        }
      }
    } else if (n.type === "TSImportEqualsDeclaration" && n.moduleReference.type === "TSExternalModuleReference") {
      const module = stringValue(n.moduleReference.expression);
      if (module !== undefined) map.set(n.id.name, { module, imported: "*" });
    }
  });
  cache.set(program, map);
  return map;
}

/** Module binding of the callee's root identifier (`jwt.verify` → jsonwebtoken), with the member path. */
export function calleeBinding(
  program: TSESTree.Program,
  callee: Node,
): { binding: ModuleBinding; member: string | undefined } | undefined {
  const c = unwrap(callee);
  const bindings = moduleBindings(program);
  if (c.type === "Identifier") {
    const binding = bindings.get(c.name);
    return binding === undefined ? undefined : { binding, member: undefined };
  }
  if (c.type === "MemberExpression") {
    const object = unwrap(c.object);
    const member = keyName(c.property, c.computed);
    if (object.type === "Identifier") {
      const binding = bindings.get(object.name);
      return binding === undefined ? undefined : { binding, member };
    }
    const required = requiredModule(object);
    if (required !== undefined && required.path.length === 0)
      return { binding: { module: required.module, imported: "*" }, member };
  }
  if (c.type === "CallExpression") {
    const required = requiredModule(c);
    if (required !== undefined) return undefined;
  }
  const direct = requiredModule(c);
  if (direct !== undefined)
    return { binding: { module: direct.module, imported: direct.path[0] ?? "*" }, member: undefined };
  return undefined;
}

/**
 * The export a call reaches: `jwt.verify(...)` with `jwt` from jsonwebtoken
 * → `{ module: "jsonwebtoken", name: "verify" }`; `verify(...)` imported by
 * name → the same; `session(...)` default import → `name: "default"`.
 */
export function calledExport(
  program: TSESTree.Program,
  callee: Node,
): { readonly module: string; readonly name: string } | undefined {
  const found = calleeBinding(program, callee);
  if (found === undefined) return undefined;
  const { binding, member } = found;
  if (member === undefined)
    return { module: binding.module, name: binding.imported === "*" ? "default" : binding.imported };
  if (binding.imported === "*" || binding.imported === "default") return { module: binding.module, name: member };
  return undefined;
}
