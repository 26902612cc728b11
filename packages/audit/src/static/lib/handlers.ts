import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";
import { calleeName, isFunction, resolve, some, stringValue, unwrap } from "./ast.js";

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "use"]);

/** A request handler found for a purpose (login, logout, password change). */
export interface Handler {
  /** Where to report: the route registration or the function's name. */
  readonly at: Node;
  /** The handler functions (a route may chain several). */
  readonly functions: readonly Node[];
}

/**
 * Handlers whose route path matches `path` (`app.post('/logout', fn)`,
 * `router.get(...)`, `fastify.post(...)`), or functions whose name matches
 * `name` (`async function logout(req, res)`, `const signOut = …`).
 */
export function handlersIn(program: TSESTree.Program, path: RegExp, name: RegExp): Handler[] {
  const found: Handler[] = [];
  const inRoutes = new Set<Node>();
  const walkAll = (visit: (n: Node) => void): void => {
    const stack: Node[] = [program];
    while (stack.length > 0) {
      const node = stack.pop()!;
      visit(node);
      for (const key of Object.keys(node)) {
        if (key === "parent" || key === "loc" || key === "range") continue;
        const value = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(value)) {
          for (const c of value)
            if (c !== null && typeof c === "object" && typeof (c as Node).type === "string") stack.push(c as Node);
        } else if (value !== null && typeof value === "object" && typeof (value as Node).type === "string")
          stack.push(value as Node);
      }
    }
  };
  walkAll((n) => {
    if (n.type !== "CallExpression") return;
    const method = calleeName(n);
    if (method === undefined || !ROUTE_METHODS.has(method.toLowerCase())) return;
    const first = n.arguments[0];
    const route = first === undefined ? undefined : stringValue(first as Node);
    if (route === undefined || !path.test(route)) return;
    // Handlers may be wrapped: asyncHandler(fn), route(async (req, res) => …).
    const functions = n.arguments.slice(1).flatMap((a) => {
      const r = resolve(a as Node);
      if (isFunction(r)) return [r];
      return r.type === "CallExpression" ? r.arguments.map((x) => resolve(x as Node)).filter(isFunction) : [];
    });
    if (functions.length === 0) return;
    for (const f of functions) inRoutes.add(f);
    found.push({ at: n, functions });
  });
  walkAll((n) => {
    let fn: Node | undefined;
    let label: Node | undefined;
    if (n.type === "FunctionDeclaration" && n.id !== null && name.test(n.id.name)) {
      fn = n;
      label = n.id;
    } else if (
      n.type === "VariableDeclarator" &&
      n.id.type === "Identifier" &&
      name.test(n.id.name) &&
      n.init !== null
    ) {
      const init = unwrap(n.init);
      if (isFunction(init)) {
        fn = init;
        label = n.id;
      }
    } else if (n.type === "MethodDefinition" || (n.type === "Property" && isFunction(n.value as Node))) {
      const key = n.key.type === "Identifier" ? n.key.name : undefined;
      if (key !== undefined && name.test(key)) {
        fn = n.value as Node;
        label = n.key;
      }
    }
    if (fn === undefined || label === undefined || inRoutes.has(fn) || !handlesRequests(fn)) return;
    found.push({ at: label, functions: [fn] });
  });
  return found;
}

/** Whether any of the functions calls a method whose name matches. */
export function callsAny(functions: readonly Node[], names: RegExp): boolean {
  return functions.some((f) =>
    some(f, (n) => (n.type === "CallExpression" || n.type === "NewExpression") && names.test(calleeName(n) ?? "")),
  );
}

const HANDLER_PARAM = /^(req|request|ctx|context|res|response|reply|session|event)$/;

/** A named function counts as a handler when a parameter is a request, response, context or session. */
function handlesRequests(fn: Node): boolean {
  if (!isFunction(fn)) return false;
  return fn.params.some((p) => {
    const id = p.type === "AssignmentPattern" ? p.left : p;
    return id.type === "Identifier" && HANDLER_PARAM.test(id.name);
  });
}
