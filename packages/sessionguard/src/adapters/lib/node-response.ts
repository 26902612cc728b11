import type { IncomingMessage, ServerResponse } from "node:http";
import type { HeaderReader } from "../../core/csrf.js";
import type { ResponseFacts } from "../../core/manager.js";
import type { RefusalResponse } from "./request-flow.js";

/** Reads Node request headers by lower-case name (first value of repeated headers). */
export function nodeHeaderReader(req: IncomingMessage): HeaderReader {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

/**
 * Client IP: the socket's peer, or the entry `hops` from the right of
 * `X-Forwarded-For` when proxies are trusted (`true` = one hop). Left-hand
 * entries come from the client and can be forged, so they are never used.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean | number): string | undefined {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : Math.max(0, Math.floor(trustProxy));
  if (hops > 0) {
    const header = req.headers["x-forwarded-for"];
    const entries = (Array.isArray(header) ? header.join(",") : (header ?? ""))
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e !== "");
    const entry = entries[entries.length - hops];
    if (entry !== undefined) return entry;
  }
  return req.socket.remoteAddress;
}

/** Adds the session's headers, keeping any `Set-Cookie` the application set. */
export function applyResponseFacts(res: ServerResponse, facts: ResponseFacts): void {
  if (facts.setCookie.length > 0) {
    const existing = res.getHeader("set-cookie");
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
    res.setHeader("set-cookie", [...list, ...facts.setCookie]);
  }
  for (const [name, value] of facts.headers) res.setHeader(name, value);
}

/** Sends a refusal (403/429/503) with its headers only. `end` is the unpatched `res.end` when the response is hooked. */
export function sendRefusal(res: ServerResponse, refusal: RefusalResponse, end: ServerResponse["end"] = res.end): void {
  res.statusCode = refusal.status;
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  for (const [name, value] of Object.entries(refusal.headers)) res.setHeader(name, value);
  (end as (chunk: string) => ServerResponse).call(res, refusal.body);
}
