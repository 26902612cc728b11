import { header } from "../http/client.js";
import { curl } from "./lib/curl.js";
import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** `cache-sensitive`: authenticated responses may be stored by browsers or shared caches. */
export const cacheSensitive: Check = {
  id: "cache-sensitive",
  phase: "passive",
  async run(context) {
    const skip = needLogin(context, "checking the caching of authenticated pages");
    if (skip !== null) return skip;
    const baseline = context.baseline;
    if (baseline === null) return outcome.skipped("no login");
    let { state, response } = await context.auth.probe(baseline.jar);
    if (state !== "authenticated") {
      // The scan lost its session (idle timeout, throttling): log in again once.
      ({ state, response } = await context.auth.probe((await context.auth.loginVerified()).jar));
    }
    if (state !== "authenticated")
      return outcome.inconclusive("the authenticated page could not be fetched with a live session");
    const cacheControl = header(response, "cache-control")?.toLowerCase() ?? "";
    if (/\bno-store\b/.test(cacheControl) || /\bprivate\b/.test(cacheControl)) {
      return outcome.passed(
        `the authenticated page ${context.config.authCheck?.url} sends Cache-Control: ${cacheControl}`,
      );
    }
    return outcome.vulnerable(
      `the authenticated page ${context.config.authCheck?.url} is cacheable: ${cacheControl === "" ? "no Cache-Control header" : `Cache-Control: ${cacheControl}`}`,
      {
        confidence: "firm",
        evidence: [
          `GET ${response.url} → ${response.status}`,
          `Cache-Control: ${cacheControl || "(absent)"}`,
          `Pragma: ${header(response, "pragma") ?? "(absent)"}`,
        ],
        reproduce: [
          `${curl(response.url, { cookie: `${context.discovery.sessionCookie}=<SESSION_TOKEN>` })} | grep -i cache-control`,
        ],
      },
    );
  },
};
