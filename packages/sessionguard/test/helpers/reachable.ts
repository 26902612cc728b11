import { inspect } from "node:util";

/**
 * Names application code might try on a session object that hides its
 * members from `ownKeys` (the Express proxy answers any name).
 */
const PROBED_NAMES = [
  "state",
  "token",
  "issuedToken",
  "presentedToken",
  "record",
  "raw",
  "session",
  "engine",
  "manager",
  "cookie",
  "_state",
  "internals",
];

/**
 * Every piece of text application code can get from `root` without calling
 * a method: own and inherited properties (string and symbol keys,
 * enumerable or not, getters evaluated), followed recursively, plus
 * `JSON.stringify`, `util.inspect` (hidden members and getters shown) and
 * `String()` of every object reached.
 */
export function reachableText(root: unknown, maxDepth = 8): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === "string") {
      out.push(value);
      return;
    }
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      out.push(String(value));
      return;
    }
    if (seen.has(value) || depth > maxDepth) return;
    seen.add(value);
    attempt(() => out.push(JSON.stringify(value) ?? ""));
    attempt(() => out.push(inspect(value, { showHidden: true, getters: true, depth: 6 })));
    attempt(() => out.push(String(value)));
    for (const name of PROBED_NAMES) attempt(() => visit(Reflect.get(value, name), depth + 1));
    for (
      let level: object | null = value;
      level !== null && level !== Object.prototype && level !== Function.prototype;
      level = Reflect.getPrototypeOf(level)
    ) {
      for (const key of Reflect.ownKeys(level)) {
        out.push(String(key));
        const descriptor = attempt(() => Reflect.getOwnPropertyDescriptor(level as object, key));
        if (descriptor === undefined) continue;
        if ("value" in descriptor) visit(descriptor.value, depth + 1);
        else if (descriptor.get !== undefined) {
          const get = descriptor.get;
          attempt(() => visit(Reflect.apply(get, value, []), depth + 1));
        }
      }
    }
  };
  visit(root, 0);
  return out;
}

function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
