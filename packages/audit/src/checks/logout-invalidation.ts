import { curl } from "./lib/curl.js";
import { fix, sessionguardOption } from "./lib/fixes.js";
import { ASVS_V7, refs, WSTG_LOGOUT } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `logout-invalidation`: the session token still authenticates after logout (ASVS 7.4.1). */
export const logoutInvalidation = defineCheck({
  id: "logout-invalidation",
  phase: "lifecycle",
  catalogue: {
    title: "Session still valid after logout",
    severity: "high",
    cwe: [613],
    asvs: ["7.4.1"],
    description:
      "After the user logs out, the old session token still authenticates requests. Logout only clears the cookie in the browser (or redirects) while the session stays alive on the server.",
    impact:
      "Anyone who obtained the token — from a shared computer, a proxy log, malware or an XSS — keeps full access after the user believes they have signed out. Users on shared devices are left exposed exactly when they think they are safe.",
    likelihood:
      "Exploitation requires a copy of the token, which many common attacks provide; once it is available, the missing server-side invalidation means the attacker keeps access until the idle or absolute timeout, if any.",
    recommendation:
      'On logout, delete the session on the server, expire the cookie (same name, path and attributes) and optionally send `Clear-Site-Data: "cookies"`. For self-contained tokens, add the token id to a deny list until its expiry.',
    fixes: [
      fix(
        "express-session",
        `
app.post("/logout", (req, res, next) => {
  req.session.destroy((err) => { // removes the session from the store
    if (err) return next(err);
    res.clearCookie("__Host-sid", { path: "/", secure: true, httpOnly: true, sameSite: "lax" });
    res.redirect("/");
  });
});`,
      ),
      fix(
        "php",
        `
$_SESSION = [];
$p = session_get_cookie_params();
setcookie(session_name(), '', ['expires' => time() - 3600, 'path' => $p['path'], 'domain' => $p['domain'],
    'secure' => $p['secure'], 'httponly' => $p['httponly'], 'samesite' => $p['samesite']]);
session_destroy(); // deletes the server-side session`,
      ),
      sessionguardOption(
        `clearSiteData: true,`,
        `app.post("/logout", async (req, res) => {
  await req.session.logout(); // deleted server-side, cookie expired, Clear-Site-Data sent
  res.redirect("/");
});`,
      ),
    ],
    references: refs([613], ASVS_V7, WSTG_LOGOUT),
    retest: "`logout-invalidation` passes: the pre-logout token no longer authenticates.",
    headline: "logging out does not end the session on the server",
    action: "destroying sessions on the server at logout",
  },
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
          variant: "alive-after-logout",
          args: { logoutUrl: logout.url, status: response.status },
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
});
