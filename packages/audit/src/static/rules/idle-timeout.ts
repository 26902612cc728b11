import { configRule } from "../lib/config-rule.js";
import { evaluate, PRODUCTION } from "../lib/evaluate.js";
import { cookieOption, option } from "../lib/session-config.js";

/**
 * `idle-timeout`: the session never expires — no `maxAge`/`expires` where the
 * library has no default lifetime, koa-session's `maxAge: 'session'`, or
 * iron-session's `ttl: 0`.
 */
export const idleTimeout = configRule(
  {
    id: "idle-timeout",
    severity: "medium",
    title: "Session without expiry",
    cwe: [613],
    fix: "cookie: { maxAge: 30 * 60 * 1000 }, rolling: true // 30 min idle; enforce an absolute limit server-side too",
  },
  (config, context) => {
    const lib = config.profile.library;
    if (lib === "sessionguard") return;
    if (lib === "iron-session") {
      const ttl = option(config, "ttl");
      if (typeof ttl === "object" && evaluate(ttl, PRODUCTION) === 0)
        context.report({ node: ttl, message: "iron-session: ttl: 0 makes sealed sessions valid forever." });
      return;
    }
    if (lib === "koa-session") {
      const maxAge = option(config, "maxAge");
      if (typeof maxAge === "object" && evaluate(maxAge, PRODUCTION) === "session")
        context.report({
          node: maxAge,
          message: "koa-session: maxAge: 'session' gives the cookie state no expiry: a copied cookie works forever.",
        });
      return;
    }
    if (config.profile.expiresByDefault) return;
    const present = config.profile.lifetimeKeys.map((k) => cookieOption(config, k));
    if (present.some((v) => v === "unknown" || typeof v === "object")) return;
    const where = config.profile.cookieKey === null ? "maxAge" : `${config.profile.cookieKey}.maxAge`;
    const why =
      lib === "cookie-session"
        ? "the signed cookie state never expires, so a copied cookie works forever"
        : "the server-side session has no lifetime of its own (MemoryStore keeps it until restart; stores fall back to their own TTL)";
    context.report({ node: config.call, message: `${lib}: no ${where} or expires: ${why}.` });
  },
);
