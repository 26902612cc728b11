import { configRule } from "../lib/config-rule.js";
import { evaluate, PRODUCTION } from "../lib/evaluate.js";
import { option } from "../lib/session-config.js";

/**
 * `code-save-uninitialized`: `saveUninitialized: true` stores a session (and
 * sets its cookie) for every anonymous visitor: store exhaustion, and an id
 * handed out before login that an attacker can plant.
 */
export const codeSaveUninitialized = configRule(
  {
    id: "code-save-uninitialized",
    severity: "low",
    title: "Sessions saved for anonymous visitors",
    cwe: [770],
    fix: "saveUninitialized: false // create the session at login, after regenerate()",
  },
  (config, context) => {
    const lib = config.profile.library;
    if (lib !== "express-session" && lib !== "@fastify/session") return;
    const value = option(config, "saveUninitialized");
    if (typeof value === "object" && evaluate(value, PRODUCTION) === true) {
      context.report({
        node: value,
        message: `${lib}: saveUninitialized: true stores a session and sets a cookie for every anonymous request (store exhaustion; ids issued before login).`,
      });
    }
  },
);
