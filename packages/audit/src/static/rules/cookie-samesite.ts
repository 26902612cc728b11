import { configRule } from "../lib/config-rule.js";
import { show } from "../lib/describe.js";
import { evaluate, PRODUCTION, UNKNOWN } from "../lib/evaluate.js";
import { cookieOption } from "../lib/session-config.js";

/** `cookie-samesite`: no `SameSite` on the session cookie, `SameSite=None`, or `sameSite: false`. */
export const cookieSameSite = configRule(
  {
    id: "cookie-samesite",
    severity: "low",
    title: "Session cookie without a restrictive SameSite",
    cwe: [1275],
    fix: "cookie: { sameSite: 'lax' } // or 'strict'",
  },
  (config, context) => {
    const lib = config.profile.library;
    const value = cookieOption(config, "sameSite");
    const where = config.profile.cookieKey === null ? "sameSite" : `${config.profile.cookieKey}.sameSite`;
    if (value === "unknown") return;
    if (value === "absent") {
      if (config.profile.sameSiteDefault !== undefined) return;
      context.report({
        node: config.call,
        message: `${lib}: ${where} is not set, so the cookie carries no SameSite attribute and older browsers send it on cross-site requests (CSRF). Set ${where}: 'lax'.`,
      });
      return;
    }
    const production = evaluate(value, PRODUCTION);
    if (production === UNKNOWN) return;
    if (production === false || production === undefined || String(production).toLowerCase() === "none") {
      context.report({
        node: value,
        message: `${lib}: ${where} is ${show(production)}: the session cookie goes with cross-site requests (CSRF, cross-site leaks).`,
      });
    }
  },
);
