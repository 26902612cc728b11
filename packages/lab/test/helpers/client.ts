/**
 * A tiny HTTP client for the lab tests: global `fetch` with `redirect:
 * "manual"` and a hand-kept cookie jar that, like a browser on a loopback
 * origin (a secure context), also sends `Secure` cookies over plain HTTP.
 */
import { parseSetCookie, type SetCookie } from "sessionguard/testing/adapters";

/** A response, read completely. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly setCookies: readonly SetCookie[];
  /** The `Set-Cookie` named `name`, if any. */
  cookie(name: string): SetCookie | undefined;
}

/** Options of {@link request}. */
export interface RequestOptions {
  readonly method?: string;
  /** Sent as the `Cookie` header, in this order. */
  readonly cookies?: Readonly<Record<string, string>>;
  /** Sent urlencoded. */
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request to `base + path`, redirects not followed. */
export async function request(base: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const cookieHeader = Object.entries(options.cookies ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
  if (cookieHeader !== "") headers["cookie"] = cookieHeader;
  let body: string | undefined;
  if (options.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(new URL(path, base), {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    redirect: "manual",
    ...(body === undefined ? {} : { body }),
  });
  const setCookies = response.headers.getSetCookie().map(parseSetCookie);
  return {
    status: response.status,
    headers: response.headers,
    body: await response.text(),
    setCookies,
    cookie: (name) => setCookies.find((cookie) => cookie.name === name),
  };
}

/** The hidden `csrf` input of a login form. */
export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]*)"/.exec(html);
  if (match?.[1] === undefined) throw new Error("no csrf input in the page");
  return match[1];
}

/** A client that keeps cookies between requests, as a browser does. */
export class Browser {
  readonly jar = new Map<string, string>();

  constructor(readonly base: string) {}

  /** The value of a cookie in the jar. */
  cookie(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** The jar as a plain record (for sending a modified copy). */
  cookies(): Record<string, string> {
    return Object.fromEntries(this.jar);
  }

  async get(path: string): Promise<Reply> {
    return this.#keep(await request(this.base, path, { cookies: this.cookies() }));
  }

  async post(path: string, form: Readonly<Record<string, string>> = {}): Promise<Reply> {
    return this.#keep(await request(this.base, path, { method: "POST", cookies: this.cookies(), form }));
  }

  /** Loads the login form and signs in; returns the `POST /login` reply and the pre-login session id. */
  async login(
    cookieName: string,
    username = "alice",
    password = `${username}-pw`,
  ): Promise<{ reply: Reply; preLogin: string | undefined }> {
    const form = await this.get("/login");
    const preLogin = this.cookie(cookieName);
    const reply = await this.post("/login", { csrf: csrfOf(form.body), username, password });
    return { reply, preLogin };
  }

  #keep(reply: Reply): Reply {
    for (const cookie of reply.setCookies) {
      const maxAge = cookie.attributes.get("max-age");
      if (maxAge !== undefined && Number(maxAge) <= 0) this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value);
    }
    return reply;
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
