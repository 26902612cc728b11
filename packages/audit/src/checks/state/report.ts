import type { AuditContext } from "../../engine/context.js";
import type { DecodedLayer } from "../../tokens/decode.js";
import { curl, placeholderBody, shellQuote } from "../lib/curl.js";
import type { CookieEdit } from "./oracle.js";
import type { Rebuilt } from "./rebuild.js";

const LAYER_NAMES: Record<DecodedLayer["encoding"], string> = {
  url: "URL-encoding",
  base64: "base64",
  base64url: "base64url",
  hex: "hex",
  json: "JSON",
  jwt: "JWT",
  "cookie-signature": "express signed cookie (s:<payload>.<signature>)",
  signed: "signed value",
  zlib: "zlib",
};

/** How a value is wrapped, outermost first: `URL-encoding → express signed cookie → base64url → JSON`. */
export function describeChain(chain: readonly DecodedLayer[]): string {
  const names = chain.map((layer) => {
    if (layer.encoding !== "signed") return LAYER_NAMES[layer.encoding];
    const scheme = layer.signed?.scheme;
    return scheme === "itsdangerous"
      ? "itsdangerous/Flask signed value (payload.timestamp.signature)"
      : scheme === "rails"
        ? "Rails signed value (payload--digest)"
        : "signed value (payload.signature)";
  });
  const last = chain.at(-1);
  if (last !== undefined && last.encoding !== "json" && last.encoding !== "jwt") names.push("JSON");
  return names.join(" → ");
}

/** The placeholder shown for one cookie in reproduction steps. */
export function placeholder(name: string, context: AuditContext, edited: CookieEdit): string {
  if (name in edited) return name.endsWith(".sig") ? "<TAMPERED_SIGNATURE>" : "<TAMPERED_COOKIE>";
  if (name === context.discovery.sessionCookie) return "<SESSION_TOKEN>";
  return `<YOUR_${name.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}>`;
}

/** A `Cookie` header with placeholders for every value: what the tampered request sent. */
export function cookieHeader(names: readonly string[], context: AuditContext, edited: CookieEdit): string {
  return [...new Set([...names, ...Object.keys(edited)])]
    .map((n) => `${n}=${placeholder(n, context, edited)}`)
    .join("; ");
}

/** Evidence line for one tampered request, without any live value. */
export function requestLine(
  context: AuditContext,
  names: readonly string[],
  edited: CookieEdit,
  summary: string,
): string {
  return `GET ${context.config.authCheck?.url} with Cookie: ${cookieHeader(names, context, edited)} → ${summary}`;
}

/**
 * Steps an engineer can paste: log in, build the tampered value with the
 * recipe (the key, when one is needed, comes from `KEY`; placeholders stand
 * in for the original signature), and send it.
 */
export function reproduceSteps(
  context: AuditContext,
  options: {
    readonly rebuilt: Rebuilt;
    readonly names: readonly string[];
    readonly edited: CookieEdit;
    readonly keyed: boolean;
    readonly expect: string;
    /** An extra step after the recipe (e.g. computing a keygrip companion signature). */
    readonly extra?: string;
  },
): string[] {
  const login = context.config.login;
  const target = context.config.target;
  const steps: string[] = [];
  if (login !== undefined) {
    steps.push(
      `${curl(new URL(login.url, target).href, { method: login.method, ...placeholderBody(login) })} | grep -i '^set-cookie'   # 1. log in and note your cookies`,
    );
  }
  const env = options.keyed ? "KEY='<RECOVERED_KEY>' " : "";
  steps.push(`${env}node -e ${shellQuote(options.rebuilt.recipe)}   # 2. prints <TAMPERED_COOKIE>`);
  if (options.extra !== undefined) steps.push(options.extra);
  steps.push(
    `${curl(new URL(context.config.authCheck?.url ?? "/", target).href, { cookie: cookieHeader(options.names, context, options.edited) })}   # 3. ${options.expect}`,
  );
  return steps;
}
