import { CookieJar } from "../http/cookie-jar.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** `fixation`: the session id issued before login is still valid, and authenticated, after login. */
export const fixation: Check = {
  id: "fixation",
  phase: "lifecycle",
  async run(context) {
    const skip = needLogin(context, "the fixation test");
    if (skip !== null) return skip;
    const jar = new CookieJar();
    const source = context.config.tokenSource;
    if (context.config.login?.csrf === "off") {
      // Without csrf "auto" nothing is fetched before the login POST; the token source shows the pre-login id.
      await context.http.send({
        url: source.url,
        method: source.method,
        jar,
        ...(source.form === undefined ? {} : { form: source.form }),
        ...(source.json === undefined ? {} : { json: source.json }),
      });
    }
    const login = await context.auth.login({ jar });
    const name = context.discovery.sessionCookie as string;
    if (login.preLoginToken === undefined) {
      return outcome.passed(
        `the server issued no ${name} before login (at ${context.config.login?.csrf === "off" ? context.config.tokenSource.url : context.config.login?.url}), so there is no pre-login id to fix (id adoption is tested separately)`,
      );
    }
    const state = await context.auth.state(login.jar);
    if (state !== "authenticated")
      return outcome.inconclusive("the login did not produce an authenticated session to compare");
    const kept = login.postLoginToken === login.preLoginToken;
    const replay = await context.auth.state(context.auth.replay(login.preLoginToken));
    const loginUrl = new URL(context.config.login?.url ?? "/", context.config.target).href;
    const authUrl = new URL(context.config.authCheck?.url ?? "/", context.config.target).href;
    const steps = [
      `${curl(loginUrl, { headers: true })} | grep -i '^set-cookie: ${name}='   # 1. note the pre-login id <PRE_LOGIN_ID>`,
      `${curl(loginUrl, { method: context.config.login?.method ?? "POST", cookie: `${name}=<PRE_LOGIN_ID>`, ...placeholderBody(context.config.login) })}   # 2. the victim logs in with it`,
      `${curl(authUrl, { cookie: `${name}=<PRE_LOGIN_ID>` })}   # 3. the attacker's copy of <PRE_LOGIN_ID> is now authenticated`,
    ];
    if (replay === "authenticated") {
      return outcome.vulnerable(
        kept
          ? "the session id issued before login is kept at login and becomes authenticated: an attacker who plants an id owns the victim's session"
          : "a new cookie is issued at login, but the pre-login session id stays valid and authenticated",
        {
          confidence: "confirmed",
          evidence: [
            `pre-login ${name} (before POST ${context.config.login?.url}) replayed alone to ${context.config.authCheck?.url} after login → authenticated`,
            kept
              ? "the login response did not issue a new session id"
              : "the login response issued a new id but the old one was not invalidated",
          ],
          reproduce: steps,
        },
      );
    }
    if (replay === "unknown")
      return outcome.inconclusive("the oracle could not tell whether the pre-login id is authenticated");
    return outcome.passed("a new session id is issued at login and the pre-login id is not authenticated afterwards");
  },
};
