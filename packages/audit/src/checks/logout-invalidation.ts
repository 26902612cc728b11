import { curl } from "./lib/curl.js";
import { needLogin } from "./lib/require.js";
import { type Check, outcome } from "./types.js";

/** `logout-invalidation`: the session token still authenticates after logout (ASVS 7.4.1). */
export const logoutInvalidation: Check = {
  id: "logout-invalidation",
  phase: "lifecycle",
  async run(context) {
    const skip = needLogin(context, "the logout test");
    if (skip !== null) return skip;
    const logout = context.config.logout;
    if (logout === undefined)
      return outcome.skipped('no "logout" in the config: add { "url": "/logout", "method": "POST" }');
    const name = context.discovery.sessionCookie as string;
    const login = await context.auth.loginVerified();
    const token = login.jar.get(name);
    if (token === undefined) return outcome.inconclusive("the authenticated session carries no session cookie");
    const response = await context.auth.logout(login.jar);
    if (response.status >= 400) {
      return outcome.inconclusive(
        `the logout request was refused (${logout.method} ${logout.url} → ${response.status}); check "logout" in the config`,
      );
    }
    const after = await context.auth.state(context.auth.replay(token));
    const authUrl = new URL(context.config.authCheck?.url ?? "/", context.config.target).href;
    const logoutUrl = new URL(logout.url, context.config.target).href;
    if (after === "authenticated") {
      return outcome.vulnerable(
        "the session token still authenticates after logout: logout only removed the cookie from the browser",
        {
          confidence: "confirmed",
          evidence: [
            `${logout.method} ${logout.url} → ${response.status}${response.allSetCookies.some((l) => l.startsWith(`${name}=`)) ? " (the response expired the cookie)" : ""}`,
            `GET ${context.config.authCheck?.url} with the pre-logout token → authenticated`,
          ],
          reproduce: [
            `${curl(logoutUrl, { method: logout.method, cookie: `${name}=<SESSION_TOKEN>` })}   # log out`,
            `${curl(authUrl, { cookie: `${name}=<SESSION_TOKEN>` })}   # the same token still works`,
          ],
        },
      );
    }
    if (after === "unknown")
      return outcome.inconclusive("the oracle could not tell whether the token works after logout");
    return outcome.passed("after logout the token no longer authenticates: the session was destroyed server-side");
  },
};
