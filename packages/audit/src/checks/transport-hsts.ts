import { header } from "../http/client.js";
import { curl } from "./lib/curl.js";
import { type Check, outcome } from "./types.js";

/** Six months, the floor HSTS preload lists and most baselines ask for. */
const MIN_MAX_AGE = 15_552_000;

/** `transport-hsts`: an HTTPS target without `Strict-Transport-Security`. */
export const transportHsts: Check = {
  id: "transport-hsts",
  phase: "passive",
  async run(context) {
    if (context.config.target.protocol !== "https:") {
      return outcome.notApplicable("the target is not served over HTTPS; HSTS applies to HTTPS origins");
    }
    const value = header(context.discovery.first, "strict-transport-security");
    const url = context.discovery.first.url;
    if (value === undefined) {
      return outcome.vulnerable(`${url} sends no Strict-Transport-Security header`, {
        confidence: "firm",
        evidence: [`Response headers of ${url} contain no Strict-Transport-Security`],
        reproduce: [`${curl(url)} | grep -i strict-transport-security`],
      });
    }
    const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(value)?.[1] ?? "0");
    if (maxAge < MIN_MAX_AGE) {
      return outcome.vulnerable(
        `Strict-Transport-Security max-age is ${maxAge} s, below six months (${MIN_MAX_AGE} s)`,
        {
          confidence: "firm",
          severity: "info",
          evidence: [`Strict-Transport-Security: ${value}`],
          reproduce: [`${curl(url)} | grep -i strict-transport-security`],
        },
      );
    }
    return outcome.passed(`Strict-Transport-Security: ${value}`);
  },
};
