import { Agent, request, errors as undiciErrors } from "undici";
import { AuditError } from "../errors.js";
import type { Budget } from "./budget.js";
import type { CookieJar } from "./cookie-jar.js";
import { isLoopbackHost } from "./loopback.js";

/** One request of the audit. */
export interface HttpRequest {
  /** Path relative to the target (`/login`) or an absolute URL on the target's origin. */
  readonly url: string;
  /** Default `GET`. */
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** URL-encoded body. */
  readonly form?: Readonly<Record<string, string>>;
  /** JSON body. */
  readonly json?: unknown;
  /** Cookies to send and update; `null` sends none. */
  readonly jar: CookieJar | null;
  /** Follow same-origin redirects (at most {@link MAX_REDIRECTS}). Default `true`. */
  readonly followRedirects?: boolean;
}

/** One hop of a redirect chain. */
export interface RedirectHop {
  readonly status: number;
  readonly url: string;
  readonly location: string;
  readonly setCookies: readonly string[];
}

/** The response, with everything the checks need as evidence. */
export interface HttpResponse {
  readonly status: number;
  /** Final URL after redirects. */
  readonly url: string;
  /** Lower-case header name → values. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Set-Cookie lines of the final response. */
  readonly setCookies: readonly string[];
  /** Set-Cookie lines of every hop, in order (redirects included). */
  readonly allSetCookies: readonly string[];
  readonly redirects: readonly RedirectHop[];
  /** Body as text, truncated at {@link MAX_BODY_BYTES}. */
  readonly body: string;
  /** Milliseconds from sending to the end of the body. */
  readonly elapsedMs: number;
  /** When the response arrived (local clock, ms epoch). */
  readonly receivedAt: number;
  /** The server's `Date` header in ms epoch, if present and valid. */
  readonly serverDate: number | undefined;
}

/** Redirects followed per request. */
export const MAX_REDIRECTS = 5;
/** Response bodies are cut here: a huge page must not exhaust memory. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Per-request timeout for headers and body. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** First value of a header. */
export function header(response: Pick<HttpResponse, "headers">, name: string): string | undefined {
  return response.headers.get(name.toLowerCase())?.[0];
}

/**
 * The audit's HTTP client: every request goes through the budget, stays on
 * the target's origin (redirects elsewhere are not followed), times out, and
 * reads at most 1 MiB of body.
 */
export class HttpClient {
  readonly target: URL;
  readonly budget: Budget;
  readonly #agent: Agent;
  readonly #secureContext: boolean;
  readonly #timeoutMs: number;

  /** @param timeoutMs - per-request limit for headers and body (default {@link REQUEST_TIMEOUT_MS}) */
  constructor(target: URL, budget: Budget, timeoutMs: number = REQUEST_TIMEOUT_MS) {
    this.target = target;
    this.budget = budget;
    this.#secureContext = target.protocol === "https:" || isLoopbackHost(target.hostname);
    this.#timeoutMs = timeoutMs;
    this.#agent = new Agent({
      connections: 16,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: Math.min(5_000, timeoutMs),
      keepAliveTimeout: 4_000,
    });
  }

  /** Whether `Secure` cookies are sent to this target (HTTPS or loopback). */
  get secureContext(): boolean {
    return this.#secureContext;
  }

  /** Resolves a path against the target and refuses other origins. */
  resolve(url: string): URL {
    const resolved = new URL(url, this.target);
    if (resolved.origin !== this.target.origin) {
      throw new AuditError(
        "ERR_OUT_OF_SCOPE",
        `refusing to send a request outside the target origin (${resolved.origin})`,
      );
    }
    return resolved;
  }

  /**
   * Sends a request (and follows same-origin redirects).
   * @throws AuditError `ERR_BUDGET` when the budget is used up, `ERR_TARGET_UNREACHABLE` on network failure
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = this.resolve(req.url);
    let method = (req.method ?? "GET").toUpperCase();
    let body: string | undefined;
    const headers: Record<string, string> = { "user-agent": "sessionguard-audit/0.1", ...req.headers };
    if (req.form !== undefined) {
      body = new URLSearchParams(req.form as Record<string, string>).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers["content-type"] = "application/json";
    }
    const redirects: RedirectHop[] = [];
    const allSetCookies: string[] = [];
    const started = Date.now();
    for (let hop = 0; ; hop++) {
      const cookie = req.jar?.header(this.#secureContext);
      const sent = { ...headers, ...(cookie === undefined ? {} : { cookie }) };
      const raw = await this.#once(url, method, sent, body);
      allSetCookies.push(...raw.setCookies);
      req.jar?.absorb(raw.setCookies);
      const location = raw.headers.get("location")?.[0];
      const follow = req.followRedirects ?? true;
      if (follow && location !== undefined && raw.status >= 300 && raw.status < 400 && hop < MAX_REDIRECTS) {
        const next = new URL(location, url);
        if (next.origin === this.target.origin) {
          redirects.push({ status: raw.status, url: url.href, location, setCookies: raw.setCookies });
          if (raw.status === 303 || ((raw.status === 301 || raw.status === 302) && method === "POST")) {
            method = "GET";
            body = undefined;
            delete headers["content-type"];
          }
          url = next;
          continue;
        }
      }
      return { ...raw, url: url.href, allSetCookies, redirects, elapsedMs: Date.now() - started };
    }
  }

  async #once(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Omit<HttpResponse, "url" | "allSetCookies" | "redirects" | "elapsedMs">> {
    await this.budget.take();
    // undici's timeouts bound the gaps between chunks; this deadline bounds the whole exchange,
    // so a target that drips one byte a second cannot hold a check for long — nor the audit past
    // budget.maxDuration.
    const left = this.budget.remainingMs();
    const cappedByBudget = left < this.#timeoutMs;
    const deadline = AbortSignal.timeout(Math.max(1, Math.min(this.#timeoutMs, left)));
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        method: method as "GET",
        headers,
        body: body ?? null,
        dispatcher: this.#agent,
        signal: deadline,
      });
    } catch (error) {
      throw unreachable(error, url, deadline, cappedByBudget);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        if (size + buffer.length > MAX_BODY_BYTES) {
          chunks.push(buffer.subarray(0, MAX_BODY_BYTES - size));
          size = MAX_BODY_BYTES;
          response.body.destroy();
          break;
        }
        chunks.push(buffer);
        size += buffer.length;
      }
    } catch (error) {
      if (size === 0 || deadline.aborted) throw unreachable(error, url, deadline, cappedByBudget);
    }
    const map = new Map<string, string[]>();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      map.set(name.toLowerCase(), Array.isArray(value) ? value : [value]);
    }
    const dateHeader = map.get("date")?.[0];
    const serverDate = dateHeader === undefined ? undefined : Date.parse(dateHeader);
    return {
      status: response.statusCode,
      headers: map,
      setCookies: map.get("set-cookie") ?? [],
      body: Buffer.concat(chunks).toString("utf8"),
      receivedAt: Date.now(),
      serverDate: serverDate === undefined || Number.isNaN(serverDate) ? undefined : serverDate,
    };
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function unreachable(error: unknown, url: URL, deadline: AbortSignal, cappedByBudget: boolean): AuditError {
  if (error instanceof AuditError) return error;
  if (cappedByBudget && deadline.aborted) {
    return new AuditError(
      "ERR_BUDGET",
      `the time budget (budget.maxDuration) ran out during the request to ${url.origin}${url.pathname}`,
      { cause: error },
    );
  }
  const kind =
    deadline.aborted ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
      ? "timed out"
      : error instanceof undiciErrors.ConnectTimeoutError
        ? "did not accept the connection in time"
        : `failed (${(error as { code?: string }).code ?? (error as Error).message ?? "network error"})`;
  return new AuditError("ERR_TARGET_UNREACHABLE", `the request to ${url.origin}${url.pathname} ${kind}`, {
    cause: error,
  });
}
