import { isLoopbackHost } from "../http/loopback.js";
import { curl } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { sessionCookieLine } from "./lib/session-cookie.js";
import { type Check, outcome } from "./types.js";

/** `transport-cleartext`: the session token is issued or accepted over plain HTTP on a non-loopback origin. */
export const transportCleartext: Check = {
  id: "transport-cleartext",
  phase: "passive",
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const target = context.config.target;
    if (target.protocol === "https:") {
      return outcome.passed("the target is served over HTTPS; the session token is issued over TLS");
    }
    if (isLoopbackHost(target.hostname)) {
      return outcome.notApplicable(
        "the target is a loopback origin, which browsers treat as a secure context; audit the deployed HTTPS origin for this check",
      );
    }
    if (sessionCookieLine(context) === null) {
      return outcome.inconclusive(
        `no Set-Cookie for ${context.discovery.sessionCookie} was received over plain HTTP (the target may only redirect to HTTPS); audit the HTTPS origin`,
      );
    }
    return outcome.vulnerable(
      `the session cookie ${context.discovery.sessionCookie} is issued over plain HTTP at ${target.origin}: anyone on the network path can read it`,
      {
        confidence: "confirmed",
        evidence: [
          `${target.origin}${context.config.tokenSource.url} answered over http:// with a Set-Cookie for ${context.discovery.sessionCookie}`,
        ],
        reproduce: [`${curl(new URL(context.config.tokenSource.url, target).href)} | grep -i '^set-cookie'`],
      },
    );
  },
};
