import { header } from "../http/client.js";
import { curl } from "./lib/curl.js";
import { fix, NGINX_HTTPS } from "./lib/fixes.js";
import { ASVS_V3, CS_HSTS, cweUrl } from "./lib/references.js";
import { defineCheck, outcome } from "./types.js";

/** Six months, the floor HSTS preload lists and most baselines ask for. */
const MIN_MAX_AGE = 15_552_000;

/** `transport-hsts`: an HTTPS target without `Strict-Transport-Security`. */
export const transportHsts = defineCheck({
  id: "transport-hsts",
  phase: "passive",
  catalogue: {
    title: "HTTPS without HTTP Strict Transport Security",
    severity: "low",
    cwe: [319, 523],
    asvs: ["3.4.1"],
    description:
      "The HTTPS site does not send a `Strict-Transport-Security` header (or sends one with a short `max-age`). Browsers therefore still try plain HTTP first when the user types the address or follows an `http://` link.",
    impact:
      "A network attacker can intercept that first plain-HTTP request and keep the user on HTTP (SSL stripping), capturing credentials and, without `Secure`, the session cookie.",
    likelihood:
      "Exploitation requires an active man-in-the-middle position, such as a rogue Wi-Fi access point. It is a well-tooled attack but limited to users on a hostile network.",
    recommendation:
      "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response and consider HSTS preloading once all subdomains support HTTPS.",
    fixes: [
      fix(
        "express-session",
        `
app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}); // or helmet: app.use(helmet.hsts({ maxAge: 31536000, includeSubDomains: true }))`,
      ),
      fix(
        "php",
        `
header('Strict-Transport-Security: max-age=31536000; includeSubDomains');`,
      ),
      fix(
        "sessionguard",
        `
// sessionguard leaves transport headers to the app or the proxy; add HSTS next to expressSessions():
app.use((req, res, next) => {
  res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});`,
      ),
      NGINX_HTTPS,
    ],
    references: [...[319, 523].map(cweUrl), CS_HSTS, ASVS_V3, "https://hstspreload.org/"],
    retest: "`transport-hsts` passes: HTTPS responses carry HSTS with `max-age` of at least one year.",
    headline: "users can be downgraded to unencrypted connections on hostile networks",
    action: "enabling HTTP Strict Transport Security",
  },
  async run(context) {
    if (context.config.target.protocol !== "https:") {
      return outcome.notApplicable("the target is not served over HTTPS; HSTS applies to HTTPS origins");
    }
    const value = header(context.discovery.first, "strict-transport-security");
    const url = context.discovery.first.url;
    if (value === undefined) {
      return outcome.vulnerable(`${url} sends no Strict-Transport-Security header`, {
        variant: "missing",
        args: { url },
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
          variant: "short-max-age",
          args: { url, maxAge, minMaxAge: MIN_MAX_AGE },
          confidence: "firm",
          severity: "info",
          evidence: [`Strict-Transport-Security: ${value}`],
          reproduce: [`${curl(url)} | grep -i strict-transport-security`],
        },
      );
    }
    return outcome.passed(`Strict-Transport-Security: ${value}`);
  },
});
