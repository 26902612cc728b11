import { CookieJar } from "../http/cookie-jar.js";
import { curl, placeholderBody } from "./lib/curl.js";
import { fix } from "./lib/fixes.js";
import { ASVS_V7, refs, WSTG_FIXATION } from "./lib/references.js";
import { needLogin } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

/** `fixation`: the session id issued before login is still valid, and authenticated, after login. */
export const fixation = defineCheck({
  id: "fixation",
  phase: "lifecycle",
  catalogue: {
    title: "Session fixation",
    severity: "high",
    cwe: [384],
    asvs: ["7.2.4"],
    description:
      "The session id that existed before login is still valid — and now authenticated — after login. The application upgrades the anonymous session in place instead of issuing a new id when the user authenticates.",
    impact:
      "An attacker who plants a known session id in the victim's browser (through a link, a sibling subdomain or a script) simply waits for the victim to log in and then uses the same id to act as the victim, with full access to the account.",
    likelihood:
      "Exploitation requires a way to set the victim's session cookie — an id in a URL, a cookie from a related subdomain, an XSS — and a victim who then logs in. With such a vector available the attack is reliable; without one it stays theoretical.",
    recommendation:
      "Issue a new session id at every authentication and privilege change (login, re-authentication, role change) and invalidate the old id at once; reject ids the server did not issue (strict mode).",
    fixes: [
      fix(
        "express-session",
        `
app.post("/login", async (req, res, next) => {
  const user = await authenticate(req.body.username, req.body.password);
  if (!user) return res.status(401).send("Invalid credentials");
  req.session.regenerate((err) => { // new id; the pre-login id stops working
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.save((err) => (err ? next(err) : res.redirect("/account")));
  });
});`,
      ),
      fix(
        "php",
        `
; php.ini
session.use_strict_mode = 1
// login.php, right after the password is verified:
if (password_verify($_POST['password'], $user['password_hash'])) {
    session_regenerate_id(true); // new id; true deletes the old session
    $_SESSION['user_id'] = $user['id'];
}`,
      ),
      fix(
        "sessionguard",
        `
app.post("/login", async (req, res) => {
  const user = await authenticate(req.body.username, req.body.password);
  if (!user) return res.status(401).send("Invalid credentials");
  await req.session.login(user.id); // new token, old one dead, CSRF token renewed, no planted data kept
  res.redirect("/account");
});`,
      ),
    ],
    references: refs([384], ASVS_V7, WSTG_FIXATION),
    retest: "`fixation` passes: after login the pre-login id no longer authenticates and a new id is issued.",
    headline: "an attacker can plant a session id before login and use it after the victim signs in",
    action: "issuing a new session id at every login",
  },
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
          variant: kept ? "kept-at-login" : "pre-login-id-valid",
          args: { cookie: name, loginUrl: context.config.login?.url ?? null },
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
});
