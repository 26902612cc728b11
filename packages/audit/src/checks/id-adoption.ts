import { CookieJar } from "../http/cookie-jar.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { fix, SG_SETUP } from "./lib/fixes.js";
import { ASVS_V7, PHP_SESSION_SECURITY, refs, WSTG_FIXATION } from "./lib/references.js";
import { needSessionCookie } from "./lib/require.js";
import { lookalikeToken } from "./lib/token-shape.js";
import { defineCheck, outcome } from "./types.js";

/** `id-adoption`: the server accepts a session id it never issued (an attacker-chosen one). */
export const idAdoption = defineCheck({
  id: "id-adoption",
  phase: "lifecycle",
  catalogue: {
    title: "Attacker-chosen session id accepted",
    severity: "high",
    cwe: [384],
    asvs: ["7.2.3", "7.2.4"],
    description:
      'The server accepted a session id it never issued: a made-up value sent in the cookie was adopted as the id of a new session instead of being replaced by a fresh server-generated one ("permissive" session handling).',
    impact:
      "An attacker can pick the victim's session id in advance — no need to obtain one from the server first — which makes session fixation easier and lets a planted id survive server restarts and store flushes.",
    likelihood:
      "Exploitation still needs a way to set the victim's cookie; adoption removes the other obstacles. Combined with a missing id change at login (`fixation`), the attack becomes straightforward.",
    recommendation:
      "Only accept ids that exist in the session store; for any unknown id, start a new session with a freshly generated id (PHP: `session.use_strict_mode = 1`).",
    fixes: [
      fix(
        "express-session",
        `
// express-session replaces unknown ids with a new one as long as genid ignores the request:
app.use(session({
  secret: process.env.SESSION_SECRET, // cookies are signed: forged ids fail verification
  genid: () => crypto.randomBytes(32).toString("base64url"), // never (req) => req.query.sid || req.cookies.sid
  store,
}));`,
      ),
      fix(
        "php",
        `
; php.ini — reject uninitialised ids and issue a new one
session.use_strict_mode = 1
session.use_only_cookies = 1`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// An unknown, malformed or expired token yields an anonymous request and a "rejected" event; it is never adopted.`,
      ),
    ],
    references: refs([384], ASVS_V7, WSTG_FIXATION, PHP_SESSION_SECURITY),
    retest: "`id-adoption` passes: a made-up session id is replaced by a server-generated one.",
    headline: "the server accepts session ids chosen by an attacker",
    action: "accepting only session ids the server issued",
  },
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
        variant: "adopted-at-login",
        args: { cookie: name, keptChosenId: login.jar.get(name) === chosen },
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
});
