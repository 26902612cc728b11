import type { TSESTree } from "@typescript-eslint/types";
import { calleeName, resolve, unwrap } from "../lib/ast.js";
import { configRule } from "../lib/config-rule.js";
import { evaluate, PRODUCTION, readsEnvironment, UNKNOWN } from "../lib/evaluate.js";
import { option } from "../lib/session-config.js";

function isMemoryStore(node: TSESTree.Node): boolean {
  const n = resolve(node);
  return n.type === "NewExpression" && calleeName(n) === "MemoryStore";
}

/**
 * `code-memory-store`: express-session or @fastify/session keep sessions in
 * process memory (no `store`, or `new MemoryStore()`), which both libraries
 * document as unfit for production: unbounded growth, lost on restart, not
 * shared between instances.
 */
export const codeMemoryStore = configRule(
  {
    id: "code-memory-store",
    severity: "low",
    title: "In-memory session store in production",
    cwe: [400],
    fix: "store: new RedisStore({ client: redisClient }) // connect-redis, or sessionguard's sqlite/redis/postgres stores",
  },
  (config, context) => {
    if (!config.profile.memoryStoreByDefault) return;
    const lib = config.profile.library;
    const store = option(config, "store");
    if (store === "unknown") return;
    if (store === "absent") {
      context.report({
        node: config.call,
        message: `${lib}: no store, so sessions live in the default MemoryStore, which the library documents as not for production (grows without bound, lost on restart, not shared between instances).`,
      });
      return;
    }
    if (isMemoryStore(store)) {
      context.report({ node: store, message: `${lib}: MemoryStore is documented as not for production.` });
      return;
    }
    if (readsEnvironment(store)) {
      const n = unwrap(store);
      if (n.type === "ConditionalExpression") {
        const test = evaluate(n.test, PRODUCTION);
        if (test === UNKNOWN) return;
        const chosen = test ? n.consequent : n.alternate;
        const value = resolve(chosen);
        if (isMemoryStore(chosen) || (value.type === "Identifier" && value.name === "undefined"))
          context.report({ node: store, message: `${lib}: production (NODE_ENV=production) gets the MemoryStore.` });
      }
    }
  },
);
