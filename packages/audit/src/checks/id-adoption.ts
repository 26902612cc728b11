import { CookieJar } from "../http/cookie-jar.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { needSessionCookie } from "./lib/require.js";
import { lookalikeToken } from "./lib/token-shape.js";
import { type Check, outcome } from "./types.js";

/** `id-adoption`: the server accepts a session id it never issued (an attacker-chosen one). */
export const idAdoption: Check = {
  id: "id-adoption",
  phase: "lifecycle",
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const name = context.discovery.sessionCookie as string;
    const sampleJar = new CookieJar();
    sampleJar.absorb(context.discovery.setCookieLines);
    const chosen = lookalikeToken(sampleJar.get(name) ?? context.baseline?.postLoginToken);
    const authUrl = new URL(context.config.authCheck?.url ?? context.config.tokenSource.url, context.config.target)
      .href;
    const reproduce = [
      `${curl(new URL(context.config.login?.url ?? context.config.tokenSource.url, context.config.target).href, {
        method: context.config.login?.method ?? "GET",
        cookie: `${name}=<ATTACKER_CHOSEN_ID>`,
        ...placeholderBody(context.config.login),
      })}   # the victim logs in carrying an id the attacker made up`,
      `${curl(authUrl, { cookie: `${name}=<ATTACKER_CHOSEN_ID>` })}   # the attacker uses the same id`,
    ];
    if (context.baseline === null) {
      const jar = new CookieJar();
      jar.set(name, chosen);
      const response = await context.http.send({ url: context.config.tokenSource.url, jar });
      if (jar.get(name) !== chosen) {
        return outcome.passed("the server replaced an attacker-chosen session id with one of its own");
      }
      return outcome.inconclusive(
        `the server kept an attacker-chosen ${name} (${response.status}) but without a login config adoption cannot be confirmed`,
      );
    }
    const jar = new CookieJar();
    jar.set(name, chosen);
    const login = await context.auth.login({ jar });
    if ((await context.auth.state(login.jar)) !== "authenticated") {
      return outcome.inconclusive(
        "logging in while carrying an attacker-chosen id did not produce an authenticated session",
      );
    }
    const attacker = await context.auth.state(context.auth.replay(chosen));
    if (attacker === "authenticated") {
      return outcome.vulnerable("a session id the attacker made up was adopted and authenticated at login", {
        confidence: "confirmed",
        evidence: [
          `request carried ${name}=<ATTACKER_CHOSEN_ID> (never issued by the server) through the login`,
          `${login.jar.get(name) === chosen ? "the server kept the chosen id" : "the server issued a new cookie but the chosen id stays authenticated"}; replaying it alone → authenticated`,
        ],
        reproduce,
      });
    }
    if (attacker === "unknown")
      return outcome.inconclusive("the oracle could not tell whether the chosen id is authenticated");
    return outcome.passed(
      "an attacker-chosen session id was not adopted: the server issued its own id and ignored the chosen one",
    );
  },
};
