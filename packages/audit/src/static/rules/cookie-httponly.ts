import { configRule } from "../lib/config-rule.js";
import { evaluate, PRODUCTION, UNKNOWN } from "../lib/evaluate.js";
import { cookieOption } from "../lib/session-config.js";

/** `cookie-httponly`: the session cookie is readable by page scripts (`httpOnly` off). */
export const cookieHttpOnly = configRule(
  {
    id: "cookie-httponly",
    severity: "medium",
    title: "Session cookie without HttpOnly",
    cwe: [1004],
    fix: "cookie: { httpOnly: true } // the default of every supported library: remove httpOnly: false",
  },
  (config, context) => {
    if (config.profile.library === "sessionguard") return;
    const value = cookieOption(config, "httpOnly");
    const where = config.profile.cookieKey === null ? "httpOnly" : `${config.profile.cookieKey}.httpOnly`;
    if (value === "unknown") return;
    if (value === "absent") {
      if (!config.profile.httpOnlyDefault)
        context.report({
          node: config.call,
          message: `${config.profile.library}: ${where} is not set and defaults to false.`,
        });
      return;
    }
    const production = evaluate(value, PRODUCTION);
    if (production !== UNKNOWN && !production) {
      context.report({
        node: value,
        message: `${config.profile.library}: ${where} is false: any script on the page (an XSS payload) can read the session cookie and send it away.`,
      });
    }
  },
);
