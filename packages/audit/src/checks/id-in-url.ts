import type { HttpResponse } from "../http/client.js";
import { CookieJar } from "../http/cookie-jar.js";
import { curl } from "./lib/curl.js";
import { fix, SG_SETUP } from "./lib/fixes.js";
import { ASVS_V14, refs, WSTG_EXPOSED } from "./lib/references.js";
import { needSessionCookie } from "./lib/require.js";
import { defineCheck, outcome } from "./types.js";

const URL_ATTRIBUTES = /\b(?:href|src|action|formaction|content)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

function urlsOf(response: HttpResponse): string[] {
  const urls = [response.url, ...response.redirects.flatMap((r) => [r.url, r.location])];
  for (const m of response.body.matchAll(URL_ATTRIBUTES)) urls.push(m[1] ?? m[2] ?? m[3] ?? "");
  return urls;
}

/**
 * `id-in-url`: the session id appears in a URL (redirects, links, URL
 * rewriting), or the server accepts it from the query string — URLs leak
 * through logs, history and the Referer header.
 */
export const idInUrl = defineCheck({
  id: "id-in-url",
  phase: "passive",
  catalogue: {
    title: "Session id exposed in URLs",
    severity: "high",
    cwe: [598, 200],
    asvs: ["14.2.1"],
    description:
      "The session id appears in a URL — in links, redirects, form actions or URL rewriting such as `;jsessionid=` or `?PHPSESSID=`. URLs are stored and forwarded in many places that cookies are not.",
    impact:
      "The token leaks through browser history, bookmarks, server and proxy logs, the `Referer` header sent to third-party sites and links users copy and share; anyone who finds it can use the session. URL-borne ids also make session fixation trivial: the attacker simply sends a link.",
    likelihood:
      "High: leakage happens without any attacker action, through normal logging and referrers, and exploiting a leaked URL requires only pasting it into a browser.",
    recommendation:
      "Accept session ids only from the cookie, disable URL rewriting and transparent session ids, never place the id in links or redirects, and send `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`).",
    fixes: [
      fix(
        "express-session",
        `
// express-session reads the id only from the cookie; remove code that copies it into URLs:
res.redirect("/account"); // not res.redirect("/account?sid=" + req.sessionID)
app.use((req, res, next) => { res.setHeader("Referrer-Policy", "no-referrer"); next(); });`,
      ),
      fix(
        "php",
        `
; php.ini
session.use_only_cookies = 1
session.use_trans_sid = 0
session.use_strict_mode = 1`,
      ),
      fix(
        "sessionguard",
        `${SG_SETUP}
// Tokens are accepted only from the cookie, never from the URL or the body; there is no option to change that.`,
      ),
    ],
    references: refs([598, 200], ASVS_V14, WSTG_EXPOSED),
    retest: "`id-in-url` passes: no URL in links, redirects or rewritten paths contains the session id.",
    headline: "session ids appear in URLs and leak through logs, history and referrers",
    action: "keeping session ids out of URLs",
  },
  async run(context) {
    const missing = needSessionCookie(context);
    if (missing !== null) return missing;
    const name = context.discovery.sessionCookie as string;
    const responses: HttpResponse[] = [context.discovery.first];
    const tokens = new Set<string>();
    const baseline = context.baseline;
    if (baseline !== null) {
      responses.push(baseline.response);
      if (baseline.loginPage !== undefined) responses.push(baseline.loginPage);
      responses.push((await context.auth.probe(baseline.jar)).response);
      for (const t of [baseline.preLoginToken, baseline.postLoginToken, baseline.jar.get(name)]) if (t) tokens.add(t);
    }
    const firstToken = new CookieJar();
    firstToken.absorb(context.discovery.first.allSetCookies);
    const anonymous = firstToken.get(name);
    if (anonymous) tokens.add(anonymous);
    const usable = [...tokens].filter((t) => t.length >= 8);
    for (const response of responses) {
      for (const url of urlsOf(response)) {
        const token = usable.find((t) => url.includes(t) || url.includes(encodeURIComponent(t)));
        if (token !== undefined) {
          return outcome.vulnerable(
            `the session id appears in a URL the application produces (${response.redirects.length > 0 ? "redirect or link" : "link"} on ${new URL(response.url).pathname})`,
            {
              variant: "in-produced-url",
              args: { cookie: name, path: new URL(response.url).pathname },
              confidence: "confirmed",
              evidence: [`URL containing the session id: ${url.split(token).join("<SESSION_TOKEN>")}`],
              reproduce: [
                `${curl(response.url, { cookie: `${name}=<SESSION_TOKEN>` })} | grep -i -e '^location' -e '<SESSION_TOKEN>'`,
              ],
            },
          );
        }
      }
    }
    if (baseline === null || context.config.authCheck === undefined) {
      return outcome.passed(
        "no URL seen during discovery carries the session id (no login configured: the accepted-from-URL test needs one)",
      );
    }
    const token = baseline.jar.get(name);
    if (token === undefined) return outcome.inconclusive("the baseline session has no session cookie to test in a URL");
    for (const param of [...new Set([name, "sid", "sessionid", "session", "jsessionid", "PHPSESSID"])]) {
      const url = new URL(context.config.authCheck.url, context.config.target);
      url.searchParams.set(param, token);
      const response = await context.http.send({ url: url.href, jar: null });
      if (context.auth.classify(response) === "authenticated") {
        return outcome.vulnerable(`the server accepts the session id from the URL query parameter "${param}"`, {
          variant: "accepted-from-query",
          args: { cookie: name, parameter: param },
          confidence: "confirmed",
          evidence: [
            `GET ${url.pathname}?${param}=<SESSION_TOKEN> without any cookie → ${response.status}, authenticated`,
          ],
          reproduce: [curl(`${url.origin}${url.pathname}?${param}=<SESSION_TOKEN>`)],
        });
      }
    }
    return outcome.passed("no URL seen carries the session id, and the server ignores it in the query string");
  },
});
