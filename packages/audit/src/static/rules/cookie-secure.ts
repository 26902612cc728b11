import { unwrap } from "../lib/ast.js";
import { configRule } from "../lib/config-rule.js";
import { show } from "../lib/describe.js";
import { DEVELOPMENT, evaluate, PRODUCTION, readsEnvironment, UNKNOWN } from "../lib/evaluate.js";
import { cookieOption, option } from "../lib/session-config.js";

/**
 * `cookie-secure`: the session cookie can travel over plain HTTP — `secure`
 * missing where the library's default is off, set false, or depending on the
 * environment (the message says what production gets).
 */
export const cookieSecure = configRule(
  {
    id: "cookie-secure",
    severity: "medium",
    title: "Session cookie without Secure",
    cwe: [614],
    fix: "cookie: { secure: true, httpOnly: true, sameSite: 'lax' } // and app.set('trust proxy', 1) behind a TLS proxy",
  },
  (config, context) => {
    const lib = config.profile.library;
    if (lib === "sessionguard") {
      const insecure = option(config, "insecureDevelopmentCookie");
      if (typeof insecure === "object" && evaluate(insecure, DEVELOPMENT) === true && !readsEnvironment(insecure)) {
        context.report({
          node: insecure,
          message:
            "insecureDevelopmentCookie: true drops Secure in every environment but production (where sessionguard refuses to start); gate it on the environment or use localhost, where Secure cookies work over HTTP.",
          data: { severity: "low" },
        });
      }
      return;
    }
    const value = cookieOption(config, "secure");
    if (value === "unknown") return;
    const where = config.profile.cookieKey === null ? "secure" : `${config.profile.cookieKey}.secure`;
    if (value === "absent") {
      if (config.profile.secureDefault) return;
      context.report({
        node: config.call,
        message: `${lib}: ${where} is not set and defaults to false, so the session cookie is sent over plain HTTP. Set ${where}: true.`,
      });
      return;
    }
    const literal = unwrap(value);
    if (literal.type === "Literal" && literal.value === "auto") return;
    const production = evaluate(value, PRODUCTION);
    const development = evaluate(value, DEVELOPMENT);
    if (readsEnvironment(value)) {
      if (production === UNKNOWN) return;
      if (production) {
        context.report({
          node: value,
          message: `${lib}: ${where} depends on the environment: production (NODE_ENV=production) gets Secure, development gets ${show(development)}; staging or any other NODE_ENV sends the cookie over plain HTTP.`,
          data: { severity: "info" },
        });
      } else {
        context.report({
          node: value,
          message: `${lib}: ${where} depends on the environment and production (NODE_ENV=production, nothing else set) gets ${show(production)}: the session cookie is sent over plain HTTP.`,
        });
      }
      return;
    }
    if (production !== UNKNOWN && !production) {
      context.report({
        node: value,
        message: `${lib}: ${where} is ${show(production)}: the session cookie is sent over plain HTTP, where anyone on the path can read it.`,
      });
    }
  },
);
