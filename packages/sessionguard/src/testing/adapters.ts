/**
 * The conformance suite every sessionguard framework adapter passes, for
 * people who write an adapter for another framework (Koa, h3, Elysia…).
 * Needs vitest as a dev dependency.
 *
 * How to run it for your adapter:
 *
 * 1. Write `startServer(manager)`: start a real server of your framework on
 *    `127.0.0.1`, port `0`, with your adapter around the given
 *    `SessionManager`, and serve every route of {@link ROUTES}: turn the
 *    framework's request into the request's {@link Session} and a
 *    {@link RouteInput} (query string, urlencoded form), call
 *    `route.handle(session, input)` and send the {@link RouteOutput} back
 *    (status, `text/plain` or `application/json`, and its extra cookies next
 *    to the session cookie). If your framework can stream, serve
 *    {@link STREAM_ROUTE} too and pass `{ stream: true }`.
 * 2. Return `{ url, close }`; the suite calls `close()` after its tests.
 * 3. Call {@link describeAdapterConformance} in a test file.
 *
 * The suite builds the manager itself (memory store, a fake clock it moves,
 * a store it can take down), so a passing run shows what an attacker or a
 * user observes from outside over real HTTP: cookie attributes, no id
 * adoption, new tokens at login and privilege change, server-side logout,
 * timeouts, cross-site refusal, no lost updates under parallel requests, a
 * fail-closed 503 when the store is down, CSRF tokens.
 *
 * @example
 * ```ts
 * import { describeAdapterConformance, ROUTES } from "sessionguard/testing/adapters";
 *
 * describeAdapterConformance("my framework", async (manager) => {
 *   const app = myFramework();
 *   app.use(mySessionAdapter(manager));
 *   for (const route of ROUTES) {
 *     app.on(route.method, route.path, async (ctx) => {
 *       const out = await route.handle(ctx.session, { query: ctx.query, form: await ctx.form() });
 *       return ctx.send(out.status, out.body, { type: out.type, cookies: out.cookies ?? [] });
 *     });
 *   }
 *   const server = await app.listen({ host: "127.0.0.1", port: 0 });
 *   return { url: server.url, close: () => server.close() };
 * });
 * ```
 *
 * @packageDocumentation
 */

export {
  type AdapterFeatures,
  type AdapterServer,
  describeAdapterConformance,
  type StartServer,
} from "./adapter-conformance.js";
export {
  APP_COOKIE,
  ROUTES,
  type Route,
  type RouteInput,
  type RouteOutput,
  STREAM_ROUTE,
} from "./adapter-routes.js";
export {
  Browser,
  isClearing,
  parseSetCookie,
  type Reply,
  type RequestOptions,
  type SetCookie,
  SID,
} from "./lib/browser.js";
