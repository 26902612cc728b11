import { CookieJar } from "../http/cookie-jar.js";
import { curl } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { lookalikeToken } from "./lib/token-shape.js";
import { type Check, outcome } from "./types.js";

/** Invalid ids sent; enough to trip any sane limit, bounded so the probe stays polite. */
export const INVALID_ID_PROBES = 60;

/**
 * `invalid-id-throttling`: many invalid session ids from one client are
 * neither throttled nor blocked (guessing goes unchecked). Runs last: a
 * working throttle may block this client for a while.
 */
export const invalidIdThrottling: Check = {
  id: "invalid-id-throttling",
  phase: "noisy",
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const name = context.discovery.sessionCookie as string;
    const sample = context.baseline?.postLoginToken;
    const url = context.config.authCheck?.url ?? context.config.tokenSource.url;
    const started = Date.now();
    const statuses = new Map<number, number>();
    let first: number | undefined;
    for (let i = 0; i < INVALID_ID_PROBES; i++) {
      const jar = new CookieJar();
      jar.set(name, lookalikeToken(sample));
      let status: number;
      try {
        status = (await context.http.send({ url, jar, followRedirects: false })).status;
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_TARGET_UNREACHABLE" || i === 0) throw error;
        return outcome.passed(
          `after ${i + 1} requests with invalid session ids the server stopped answering this client`,
        );
      }
      first ??= status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // A block shows as a change of answer: 429/503, or 403 where anonymous requests were answered otherwise.
      if (status === 429 || status === 503 || (status === 403 && first !== 403)) {
        return outcome.passed(`after ${i + 1} requests with invalid session ids the server answered ${status}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = [...statuses].map(([s, n]) => `${n}× ${s}`).join(", ");
    return outcome.vulnerable(
      `${INVALID_ID_PROBES} requests with invalid session ids in ${seconds} s were all answered normally (${summary})`,
      {
        confidence: "firm",
        evidence: [
          `GET ${url} with ${INVALID_ID_PROBES} random ${name} values from one client: ${summary}; no 429, no block`,
        ],
        reproduce: [
          `for i in $(seq ${INVALID_ID_PROBES}); do ${curl(new URL(url, context.config.target).href, { cookie: `${name}=$(openssl rand -hex 16)`, headers: false })} -o /dev/null -w '%{http_code}\\n'; done | sort | uniq -c`,
        ],
      },
    );
  },
};
