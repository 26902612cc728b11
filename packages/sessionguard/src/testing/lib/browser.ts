/**
 * A tiny browser stand-in for the adapter tests: global `fetch` (undici),
 * no redirects followed, and a cookie jar that sends `Secure` cookies to the
 * plain-HTTP loopback server, as browsers do for `localhost` origins.
 */

/** Name of the session cookie the suite expects (the manager's default, `__Host-sid`). */
export const SID = "__Host-sid";

/** One parsed `Set-Cookie` header. Attribute names are lower-case. */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly raw: string;
}

/** A received response, body already read. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
  readonly cookies: readonly SetCookie[];
  /** The `Set-Cookie` for the session cookie, if any. */
  readonly sid: SetCookie | undefined;
}

/** Options of one request. */
export interface RequestOptions {
  /** urlencoded body (makes the request a form POST). */
  readonly form?: Record<string, string>;
  readonly headers?: Record<string, string>;
  /**
   * Send exactly this `Cookie` header instead of the jar's, as another client
   * would (a replayed or planted token): the jar does not learn from the response.
   */
  readonly cookie?: string;
}

/** Parses one `Set-Cookie` header value (name, value, lower-cased attributes). */
export function parseSetCookie(raw: string): SetCookie {
  const [pair = "", ...parts] = raw.split(";");
  const eq = pair.indexOf("=");
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const i = part.indexOf("=");
    const key = (i === -1 ? part : part.slice(0, i)).trim().toLowerCase();
    if (key !== "") attributes.set(key, i === -1 ? "" : part.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
}

/** True when the cookie tells the browser to drop it. */
export function isClearing(cookie: SetCookie): boolean {
  const maxAge = cookie.attributes.get("max-age");
  if (maxAge !== undefined) return Number(maxAge) <= 0;
  const expires = cookie.attributes.get("expires");
  return expires !== undefined && Date.parse(expires) <= Date.now();
}

/** A client with its own cookie jar: one "browser". */
export class Browser {
  readonly #jar = new Map<string, string>();

  /** @param baseUrl - the server's origin, e.g. `http://127.0.0.1:3000` */
  constructor(readonly baseUrl: string) {}

  /** The session token the jar holds. */
  get sid(): string | undefined {
    return this.#jar.get(SID);
  }

  set sid(token: string | undefined) {
    if (token === undefined) this.#jar.delete(SID);
    else this.#jar.set(SID, token);
  }

  /** The `Cookie` header the jar sends, or `undefined` when it is empty. */
  get cookieHeader(): string | undefined {
    if (this.#jar.size === 0) return undefined;
    return [...this.#jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** `GET path`. */
  get(path: string, options: RequestOptions = {}): Promise<Reply> {
    return this.request("GET", path, options);
  }

  /** `POST path` with an urlencoded form. */
  post(path: string, form: Record<string, string> = {}, options: RequestOptions = {}): Promise<Reply> {
    return this.request("POST", path, { ...options, form });
  }

  /** Sends one request (no redirects followed) and updates the jar from its `Set-Cookie` headers, unless `options.cookie` was given. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers = new Headers(options.headers);
    const cookie = options.cookie ?? this.cookieHeader;
    if (cookie !== undefined) headers.set("cookie", cookie);
    let body: string | undefined;
    if (options.form !== undefined) {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams(options.form).toString();
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      redirect: "manual",
      ...(body === undefined ? {} : { body }),
    });
    const cookies = response.headers.getSetCookie().map(parseSetCookie);
    const reply: Reply = {
      status: response.status,
      body: await response.text(),
      headers: response.headers,
      cookies,
      sid: cookies.find((c) => c.name === SID),
    };
    if (options.cookie !== undefined) return reply;
    for (const c of reply.cookies) {
      if (isClearing(c)) this.#jar.delete(c.name);
      else this.#jar.set(c.name, c.value);
    }
    return reply;
  }
}
