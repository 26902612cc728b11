import type { AuditConfig } from "../config/load.js";
import { UnsupportedRegexError, UserRegex } from "../config/user-regex.js";
import { AuditError } from "../errors.js";
import type { HttpClient, HttpResponse } from "../http/client.js";
import { CookieJar } from "../http/cookie-jar.js";
import { hiddenInputs } from "./html-form.js";

/** What the session-alive oracle concluded about one response. */
export type AuthState = "authenticated" | "anonymous" | "unknown";

/** A completed login. */
export interface LoginResult {
  readonly jar: CookieJar;
  /** The session cookie before the login request, if the server had issued one. */
  readonly preLoginToken: string | undefined;
  /** The session cookie after login. */
  readonly postLoginToken: string | undefined;
  /** The login response (after redirects). */
  readonly response: HttpResponse;
  /** The login page response, when it was fetched for hidden inputs. */
  readonly loginPage: HttpResponse | undefined;
}

/**
 * Login automation and the session-alive oracle (SPEC §2.2 `login`,
 * `authCheck`, `logout`). Every lifecycle check builds on these three calls.
 */
export class Authenticator {
  readonly #config: AuditConfig;
  readonly #http: HttpClient;
  readonly #cookie: () => string | null;
  readonly #secrets: (secret: string) => void;
  readonly #loggedIn: UserRegex | undefined;
  readonly #loggedOut: UserRegex | undefined;

  /** @throws AuditError `ERR_CONFIG` when an `authCheck` pattern is not RE2 syntax (a validated config never is) */
  constructor(config: AuditConfig, http: HttpClient, sessionCookie: () => string | null, secrets: (s: string) => void) {
    this.#config = config;
    this.#http = http;
    this.#cookie = sessionCookie;
    this.#secrets = secrets;
    // Compiled once, matched in linear time: the response body is the target's, the pattern the user's.
    const check = config.authCheck;
    this.#loggedIn = check === undefined ? undefined : pattern("authCheck.loggedIn", check.loggedIn);
    this.#loggedOut = check?.loggedOut === undefined ? undefined : pattern("authCheck.loggedOut", check.loggedOut);
  }

  /** True when the config describes a login and an oracle. */
  get configured(): boolean {
    return this.#config.login !== undefined && this.#config.authCheck !== undefined;
  }

  /**
   * Logs in with the configured credentials (or `override` form values).
   * Hidden inputs of the login form are copied first (`csrf: "auto"`).
   */
  async login(options: { jar?: CookieJar; form?: Record<string, string> } = {}): Promise<LoginResult> {
    const login = this.#config.login;
    if (login === undefined) throw new AuditError("ERR_CONFIG", "no login is configured");
    const jar = options.jar ?? new CookieJar();
    let loginPage: HttpResponse | undefined;
    let hidden: Record<string, string> = {};
    if (login.csrf === "auto") {
      loginPage = await this.#http.send({ url: login.url, jar });
      hidden = hiddenInputs(loginPage.body, new URL(login.url, this.#http.target).pathname);
    }
    const cookie = this.#cookie();
    const preLoginToken = cookie === null ? undefined : jar.get(cookie);
    const form = login.form === undefined ? undefined : { ...hidden, ...login.form, ...options.form };
    const response = await this.#http.send({
      url: login.url,
      method: login.method,
      jar,
      ...(form === undefined ? { json: login.json } : { form }),
    });
    const postLoginToken = cookie === null ? undefined : jar.get(cookie);
    for (const token of [preLoginToken, postLoginToken]) if (token !== undefined) this.#secrets(token);
    return { jar, preLoginToken, postLoginToken, response, loginPage };
  }

  /**
   * Logs in and proves the session is authenticated, retrying once (a scan
   * can lose its session to throttling or a concurrent check).
   * @throws AuditError `ERR_LOGIN_FAILED` when the oracle never sees an authenticated session
   */
  async loginVerified(): Promise<LoginResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await this.login();
      if ((await this.state(result.jar)) === "authenticated") return result;
    }
    throw new AuditError(
      "ERR_LOGIN_FAILED",
      `logging in at ${this.#config.login?.url} did not produce a session that ${this.#config.authCheck?.url} accepts: check login.form, login.url and authCheck.loggedIn`,
    );
  }

  /** Asks the oracle whether the jar's session is authenticated. */
  async state(jar: CookieJar): Promise<AuthState> {
    return (await this.probe(jar)).state;
  }

  /** Asks the oracle and returns the response too (evidence, caching headers). */
  async probe(jar: CookieJar): Promise<{ state: AuthState; response: HttpResponse }> {
    const check = this.#config.authCheck;
    if (check === undefined) throw new AuditError("ERR_CONFIG", "no authCheck is configured");
    const response = await this.#http.send({ url: check.url, jar });
    return { state: this.classify(response), response };
  }

  /** Classifies one oracle response; `unknown` when neither pattern decides. */
  classify(response: HttpResponse): AuthState {
    if (this.#loggedIn === undefined) return "unknown";
    const loginPath =
      this.#config.login === undefined ? undefined : new URL(this.#config.login.url, this.#http.target).pathname;
    if (response.status < 300 && this.#loggedIn.test(response.body)) return "authenticated";
    if (this.#loggedOut?.test(response.body) === true) return "anonymous";
    if (response.status === 401 || response.status === 403) return "anonymous";
    if (loginPath !== undefined && response.redirects.length > 0 && new URL(response.url).pathname === loginPath) {
      return "anonymous";
    }
    if (response.status === 200 && this.#loggedOut === undefined) return "anonymous";
    return "unknown";
  }

  /** A jar holding only the given session token: another client replaying it. */
  replay(token: string): CookieJar {
    const cookie = this.#cookie();
    if (cookie === null) throw new AuditError("ERR_CONFIG", "the session cookie is unknown");
    const jar = new CookieJar();
    jar.set(cookie, token);
    return jar;
  }

  /** Sends the configured logout request with the jar. */
  async logout(jar: CookieJar): Promise<HttpResponse> {
    const logout = this.#config.logout;
    if (logout === undefined) throw new AuditError("ERR_CONFIG", "no logout is configured");
    return this.#http.send({ url: logout.url, method: logout.method, jar });
  }
}

function pattern(key: string, source: string): UserRegex {
  try {
    return UserRegex.compile(source);
  } catch (error) {
    if (error instanceof UnsupportedRegexError) throw new AuditError("ERR_CONFIG", `${key}: ${error.message}`);
    throw error;
  }
}
