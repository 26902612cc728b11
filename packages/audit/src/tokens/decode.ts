/**
 * Generic decoder for cookie values and tokens: peels URL-encoding, base64,
 * hex, JSON, JWTs and the common signed-cookie wrappers, nested up to three
 * layers deep. Shared by the token engine (`token-decodable`) and the
 * client-side-state checks (`state-tampering`, `state-weak-key`, `jwt-*`),
 * which need the exact input of every layer to re-encode a tampered value.
 */
import { gunzipSync, inflateRawSync, inflateSync } from "node:zlib";

/** How a layer was obtained from its input. */
export type DecodedEncoding =
  /** `%XX` URL-decoding. */
  | "url"
  /** RFC 4648 base64 (`+/`, optional `=` padding); also used when neither `+/` nor `-_` occur. */
  | "base64"
  /** RFC 4648 §5 base64url (`-_`). */
  | "base64url"
  /** Hexadecimal bytes. */
  | "hex"
  /** The value itself is JSON, or cookie-parser's `j:` JSON cookie. */
  | "json"
  /** A JWS compact JWT: `header.payload.signature`; `text` is the payload JSON. */
  | "jwt"
  /** express / cookie-signature `s:<payload>.<signature>`; `text` is the unsigned payload. */
  | "cookie-signature"
  /** Flask/itsdangerous `payload.timestamp.signature`, Rails `payload--digest`, or generic `payload.signature`. */
  | "signed"
  /** zlib / raw deflate / gzip decompression (Flask marks compressed payloads with a leading `.`). */
  | "zlib";

/** One decoding step. Layers form a tree flattened in breadth-first order; `parent` links it. */
export interface DecodedLayer {
  readonly encoding: DecodedEncoding;
  /** 1 for a decoding of the value itself, 2 for a decoding of a depth-1 layer's text, … */
  readonly depth: number;
  /** Index in the returned array of the layer whose `text` this one decoded, or -1 for the value itself. */
  readonly parent: number;
  /** The exact string this layer decoded: the value, the parent's text, or a part of it (e.g. a JWT segment). */
  readonly input: string;
  /** The decoded text: UTF-8 when valid, otherwise latin1 (one char per byte). */
  readonly text: string;
  /** Decoded bytes, for byte-producing encodings (base64, base64url, hex, zlib). */
  readonly bytes?: Uint8Array;
  /** True when `text` is valid UTF-8 of printable characters (tabs and newlines allowed). Not a judgement of meaning. */
  readonly printable: boolean;
  /** The parsed value when `text` is a JSON object or array. */
  readonly json?: unknown;
  /** A serialisation recognised by its magic bytes or syntax (never guessed from entropy alone). */
  readonly format?: "java-serialized" | "php-serialized" | "ruby-marshal" | "python-pickle";
  /** For `signed`, `cookie-signature` and `jwt`: what the signature covers and the signature itself, as they appear in `input`. */
  readonly signed?: {
    /** The signed part, verbatim (for a JWT: `header.payload`; for Flask: `payload.timestamp`). */
    readonly signingInput: string;
    /** The signature segment, verbatim. */
    readonly signature: string;
    /** The separator before the signature: `.` or `--`. */
    readonly separator: "." | "--";
    /** Which wrapper: `jwt`, `express`, `itsdangerous`, `rails`, `rails-encrypted`, `generic`. */
    readonly scheme: "jwt" | "express" | "itsdangerous" | "rails" | "rails-encrypted" | "generic";
    /** itsdangerous only: the timestamp (seconds since the Unix epoch) when it could be decoded. */
    readonly timestamp?: number;
  };
  /** JWT only: the decoded header (payload is `json`). */
  readonly header?: unknown;
}

const MAX_DEPTH = 3;
const MAX_LAYERS = 32;
const MAX_INPUT = 64 * 1024;

const BASE64_STD = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]+={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const B64URL_SEGMENT = /^[A-Za-z0-9_-]*$/;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decode `value` every way it plausibly decodes.
 *
 * Depth-1 layers are returned even when they are binary (a random hex token
 * decodes to random bytes; `printable` says so). Deeper layers are only
 * followed from printable text or from a recognised wrapper, so random
 * bytes do not fan out into noise. At most 32 layers, 3 levels deep.
 *
 * @param value a cookie value or token exactly as received (URL-encoded or not)
 * @returns the layers, breadth-first; empty when nothing decodes
 */
export function decodeValue(value: string): DecodedLayer[] {
  const layers: DecodedLayer[] = [];
  if (value.length === 0 || value.length > MAX_INPUT) return layers;
  const queue: { readonly text: string; readonly depth: number; readonly parent: number }[] = [
    { text: value, depth: 1, parent: -1 },
  ];
  const seen = new Set<string>([value]);
  while (queue.length > 0 && layers.length < MAX_LAYERS) {
    const item = queue.shift()!;
    for (const step of decodeOnce(item.text)) {
      if (layers.length >= MAX_LAYERS) break;
      const layer: DecodedLayer = { ...step, depth: item.depth, parent: item.parent };
      layers.push(layer);
      const index = layers.length - 1;
      if (item.depth >= MAX_DEPTH) continue;
      // Compressed payloads (zlib, gzip) are binary: inflate them directly.
      if (!layer.printable && layer.bytes && layers.length < MAX_LAYERS) {
        const inflated = tryInflate(Buffer.from(layer.bytes));
        if (inflated) {
          const child: DecodedLayer = {
            ...bytesStep("zlib", layer.text, inflated),
            depth: item.depth + 1,
            parent: index,
          };
          layers.push(child);
          if (child.printable && child.json === undefined && item.depth + 1 < MAX_DEPTH) {
            queue.push({ text: child.text, depth: item.depth + 2, parent: layers.length - 1 });
          }
        }
      }
      // Follow only printable text that is not already parsed JSON; binary
      // bytes from a random token would otherwise "decode" again as noise.
      if (layer.printable && layer.json === undefined && !seen.has(layer.text) && layer.text.length > 0) {
        seen.add(layer.text);
        queue.push({ text: layer.text, depth: item.depth + 1, parent: index });
      }
    }
  }
  return layers;
}

type Step = Omit<DecodedLayer, "depth" | "parent">;

function decodeOnce(input: string): Step[] {
  const steps: Step[] = [];
  const text = input.trim();
  if (text.length === 0) return steps;

  // URL-encoding: cookies often carry `s%3A…` or `%7B%22…`.
  if (/%[0-9a-fA-F]{2}/.test(text)) {
    try {
      const decoded = decodeURIComponent(text);
      // Everything else is tried on the decoded text, one level down.
      if (decoded !== text) return [textStep("url", input, decoded)];
    } catch {
      // malformed escapes: not URL-encoded
    }
  }

  const jsonValue = parseJsonContainer(text);
  if (jsonValue !== undefined) {
    steps.push({ encoding: "json", input, text, printable: true, json: jsonValue });
    return steps;
  }
  // cookie-parser's JSON cookies: `j:{"a":1}`.
  if (text.startsWith("j:")) {
    const inner = parseJsonContainer(text.slice(2));
    if (inner !== undefined) steps.push({ encoding: "json", input, text: text.slice(2), printable: true, json: inner });
  }

  const express = /^s:([\s\S]+)\.([A-Za-z0-9+/_-]{27,86})=*$/.exec(text);
  if (express) {
    const payload = express[1]!;
    steps.push({
      ...textStep("cookie-signature", input, payload),
      signed: { signingInput: payload, signature: express[2]!, separator: ".", scheme: "express" },
    });
    return steps;
  }

  const jwt = decodeJwt(input, text);
  if (jwt) {
    steps.push(jwt);
    return steps;
  }

  const signed = decodeSigned(input, text);
  if (signed) {
    steps.push(signed);
    return steps;
  }

  // Plain byte encodings. Hex first: every hex string is also valid base64,
  // and hex is the likelier reading of a string made only of hex digits.
  if (HEX.test(text) && text.length >= 4) {
    steps.push(bytesStep("hex", input, Buffer.from(text, "hex")));
  } else if (text.length >= 4 && text.length % 4 !== 1) {
    const kind = base64Kind(text);
    if (kind) {
      const bytes = decodeBase64(text);
      if (bytes && bytes.length > 0) steps.push(bytesStep(kind, input, bytes));
    }
  }
  return steps;
}

function base64Kind(text: string): "base64" | "base64url" | null {
  if (BASE64_URL.test(text) && /[-_]/.test(text)) return "base64url";
  if (BASE64_STD.test(text)) return "base64";
  return null;
}

function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, "");
  if (clean.length % 4 === 1) return null;
  return Buffer.from(clean.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

function parseJsonContainer(text: string): unknown {
  const first = text[0];
  if (first !== "{" && first !== "[") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function decodeJwt(input: string, text: string): Step | null {
  const parts = text.split(".");
  if (parts.length !== 3 || !parts.every((p) => B64URL_SEGMENT.test(p))) return null;
  const [h, p, s] = parts as [string, string, string];
  const header = parseJsonContainer(bytesToText(decodeBase64(h)) ?? "");
  if (!header || typeof header !== "object" || !("alg" in header)) return null;
  const payloadBytes = decodeBase64(p);
  const payloadText = bytesToText(payloadBytes) ?? "";
  const json = parseJsonContainer(payloadText);
  return {
    encoding: "jwt",
    input,
    text: payloadText,
    ...(payloadBytes ? { bytes: payloadBytes } : {}),
    printable: isPrintable(payloadText),
    ...(json !== undefined ? { json } : {}),
    header,
    signed: { signingInput: `${h}.${p}`, signature: s, separator: ".", scheme: "jwt" },
  };
}

function decodeSigned(input: string, text: string): Step | null {
  // Rails: `payload--digest` (signed) or `data--iv--tag` (encrypted, AES-GCM).
  if (text.includes("--")) {
    const parts = text.split("--");
    if (parts.length === 3 && parts.every((x) => BASE64_STD.test(x) || BASE64_URL.test(x))) {
      const data = decodeBase64(parts[0]!);
      return {
        encoding: "signed",
        input,
        text: data ? Buffer.from(data).toString("latin1") : "",
        ...(data ? { bytes: data } : {}),
        printable: false,
        signed: {
          signingInput: `${parts[0]}--${parts[1]}`,
          signature: parts[2]!,
          separator: "--",
          scheme: "rails-encrypted",
        },
      };
    }
    if (parts.length === 2) {
      const [payload, digest] = parts as [string, string];
      const digestOk = /^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$/i.test(digest) || BASE64_STD.test(digest);
      if (digestOk && payload.length > 0) {
        const unescaped = safeUrlDecode(payload);
        return {
          ...payloadStep(input, unescaped),
          signed: { signingInput: payload, signature: digest, separator: "--", scheme: "rails" },
        };
      }
    }
  }
  // itsdangerous: `payload.timestamp.signature`; payload starts with `.` when zlib-compressed.
  const compressed = text.startsWith(".");
  const body = compressed ? text.slice(1) : text;
  const parts = body.split(".");
  if (parts.length === 3 && parts.every((x) => B64URL_SEGMENT.test(x) && x.length > 0)) {
    const [payload, stamp, signature] = parts as [string, string, string];
    const stampBytes = decodeBase64(stamp);
    if (stampBytes && stampBytes.length >= 4 && stampBytes.length <= 8) {
      let seconds = 0;
      for (const b of stampBytes) seconds = seconds * 256 + b;
      const raw = decodeBase64(payload);
      const bytes = raw && compressed ? tryInflate(Buffer.from(raw)) : raw;
      const decoded = bytesToText(bytes);
      return {
        encoding: "signed",
        input,
        text: decoded ?? (bytes ? Buffer.from(bytes).toString("latin1") : ""),
        ...(bytes ? { bytes } : {}),
        printable: decoded !== null && isPrintable(decoded),
        ...jsonField(decoded),
        signed: {
          signingInput: `${compressed ? "." : ""}${payload}.${stamp}`,
          signature,
          separator: ".",
          scheme: "itsdangerous",
          timestamp: seconds,
        },
      };
    }
  }
  // Generic `payload.signature` with a MAC-sized signature (16–64 bytes) and a payload that reads as text.
  if (parts.length === 2 && !compressed) {
    const [payload, signature] = parts as [string, string];
    const sigBytes = HEX.test(signature) ? signature.length / 2 : (decodeBase64(signature)?.length ?? 0);
    if (payload.length > 0 && sigBytes >= 16 && sigBytes <= 64 && /^[A-Za-z0-9+/_=%-]+$/.test(payload)) {
      const step = payloadStep(input, safeUrlDecode(payload));
      if (step.printable) {
        return { ...step, signed: { signingInput: payload, signature, separator: ".", scheme: "generic" } };
      }
    }
  }
  return null;
}

/** A signed payload: decode it once more if it is base64 of text, else keep it verbatim. */
function payloadStep(input: string, payload: string): Step {
  const kind = base64Kind(payload);
  if (kind && payload.length >= 4) {
    const bytes = decodeBase64(payload);
    const text = bytesToText(bytes);
    if (bytes && text !== null && isPrintable(text)) {
      return { encoding: "signed", input, text, bytes, printable: true, ...jsonField(text) };
    }
  }
  return { encoding: "signed", input, text: payload, printable: isPrintable(payload), ...jsonField(payload) };
}

function textStep(encoding: DecodedEncoding, input: string, text: string): Step {
  return { encoding, input, text, printable: isPrintable(text), ...jsonField(text) };
}

function bytesStep(encoding: DecodedEncoding, input: string, bytes: Uint8Array): Step {
  const text = bytesToText(bytes);
  const format = detectFormat(bytes);
  return {
    encoding,
    input,
    text: text ?? Buffer.from(bytes).toString("latin1"),
    bytes,
    printable: text !== null && isPrintable(text),
    ...jsonField(text),
    ...(format ? { format } : {}),
  };
}

function jsonField(text: string | null): { json?: unknown } {
  if (text === null) return {};
  const json = parseJsonContainer(text.trim());
  return json === undefined ? {} : { json };
}

function bytesToText(bytes: Uint8Array | null): string | null {
  if (!bytes) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function safeUrlDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function tryInflate(bytes: Buffer): Uint8Array | null {
  if (bytes.length < 2) return null;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  try {
    if (b0 === 0x1f && b1 === 0x8b) return gunzipSync(bytes);
    // zlib header: CMF 0x78 and (CMF*256 + FLG) % 31 === 0 (RFC 1950).
    if ((b0 & 0x0f) === 8 && (b0 * 256 + b1) % 31 === 0) return inflateSync(bytes);
    return null;
  } catch {
    try {
      return b0 === 0x78 ? inflateRawSync(bytes.subarray(2)) : null;
    } catch {
      return null;
    }
  }
}

function detectFormat(bytes: Uint8Array): DecodedLayer["format"] | undefined {
  if (bytes.length >= 4 && bytes[0] === 0xac && bytes[1] === 0xed && bytes[2] === 0x00 && bytes[3] === 0x05) {
    return "java-serialized";
  }
  if (bytes.length >= 2 && bytes[0] === 0x04 && bytes[1] === 0x08) return "ruby-marshal";
  if (bytes.length >= 3 && bytes[0] === 0x80 && bytes[1]! >= 2 && bytes[1]! <= 5 && bytes[bytes.length - 1] === 0x2e) {
    return "python-pickle";
  }
  const head = Buffer.from(bytes.subarray(0, 16)).toString("latin1");
  if (/^(a:\d+:\{|O:\d+:"|s:\d+:")/.test(head)) return "php-serialized";
  return undefined;
}

/**
 * Printable: at least 90 % of characters are printable (letters, digits,
 * punctuation, space, tab, newline) and there are no C0 control characters
 * other than whitespace. Random bytes almost never qualify once longer than
 * a few characters; readable text and JSON always do.
 */
export function isPrintable(text: string): boolean {
  if (text.length === 0) return false;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) return false;
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) printable++;
    else if (c >= 0xa0 && !(c >= 0xd800 && c <= 0xdfff)) printable++;
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
  }
  return printable / text.length >= 0.9;
}

/** What a sensitive JSON field carries. */
export type SensitiveKind = "user" | "role" | "email" | "id" | "admin-flag" | "expiry" | "other";

/** A field of decoded session state that an attacker would read or change. */
export interface SensitiveField {
  /** JSON path: `user.role`, `roles[0]`, `claims.is_admin`. Keys are written verbatim. */
  readonly path: string;
  readonly kind: SensitiveKind;
}

// Order matters: the first matching rule wins (`isAdmin` is an admin flag, not a role).
const KEY_RULES: readonly { readonly kind: SensitiveKind; readonly re: RegExp }[] = [
  { kind: "admin-flag", re: /^(is_?|has_?)?(admin|administrator|superuser|super_?user|staff|root|sudo|superadmin)$/i },
  { kind: "email", re: /^(e_?mail|mail|email_?address|upn)$/i },
  {
    kind: "id",
    re: /^(id|_id|uid|sub|user_?id|userid|account_?id|customer_?id|member_?id|principal_?id|session_?user_?id)$/i,
  },
  {
    kind: "user",
    re: /^(user|usr|username|user_?name|login|login_?name|name|account|owner|principal|preferred_username|nickname)$/i,
  },
  {
    kind: "role",
    re: /^(role|roles|group|groups|scope|scopes|scp|permission|permissions|perms|privilege|privileges|authorities|authority|access_?level|level|tier|plan|rights|acl)$/i,
  },
  {
    kind: "expiry",
    re: /^(exp|expires|expire|expiry|expires_?at|expiration|expiration_?time|exp_?at|valid_?until|not_?after|max_?age|ttl|deadline)$/i,
  },
  {
    kind: "other",
    re: /^(password|passwd|pwd|pass|secret|token|access_?token|refresh_?token|api_?key|csrf|csrf_?token|xsrf|balance|credit|price|amount|discount|ip|ip_?address|tenant|tenant_?id|org|org_?id|verified|email_?verified|mfa|2fa|otp|iat|nbf|auth_?time)$/i,
  },
];

const EMAIL_VALUE = /^[^\s@"<>]+@[^\s@"<>]+\.[A-Za-z]{2,}$/;

/**
 * Fields of decoded session state that matter to an attacker: identity
 * (user, id, e-mail), authorisation (role, admin flag) and lifetime
 * (expiry), by key name, plus any string value that is an e-mail address.
 *
 * @param json a parsed JSON value (object, array or scalar)
 * @returns matching paths in document order; at most 200
 */
export function findSensitiveFields(json: unknown): { path: string; kind: SensitiveKind }[] {
  const out: { path: string; kind: SensitiveKind }[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (out.length >= 200 || depth > 12) return;
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${path}[${i}]`, depth + 1);
      return;
    }
    if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childPath = path === "" ? key : `${path}.${key}`;
        const rule = KEY_RULES.find((r) => r.re.test(key) || r.re.test(key.replace(/[-\s]/g, "_")));
        if (rule) out.push({ path: childPath, kind: rule.kind });
        else if (typeof child === "string" && EMAIL_VALUE.test(child)) out.push({ path: childPath, kind: "email" });
        walk(child, childPath, depth + 1);
      }
      return;
    }
    if (path !== "" && typeof value === "string" && EMAIL_VALUE.test(value) && !out.some((f) => f.path === path)) {
      out.push({ path, kind: "email" });
    }
  };
  walk(json, "", 0);
  return out;
}
