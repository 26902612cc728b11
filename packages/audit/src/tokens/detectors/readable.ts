/**
 * Readable structure inside tokens: JSON, JWT claims, serialised objects,
 * e-mail addresses, `key=value` state — under base64, hex or URL-encoding
 * (via `decodeValue`) or in plain sight.
 */
import { type DecodedLayer, decodeValue, findSensitiveFields, type SensitiveKind } from "../decode.js";

/** What the readable tokens carry. */
export interface ReadableReport {
  /** Tokens examined (the first 50). */
  readonly checked: number;
  /** Tokens that carry readable data. */
  readonly readable: number;
  /** Decoding chain of the first readable token, e.g. `base64 → JSON`. */
  readonly chain: string | null;
  /** Sensitive fields found across the readable tokens (paths and kinds, no values). */
  readonly fields: readonly { readonly path: string; readonly kind: SensitiveKind }[];
  /** Other JSON keys seen (top level), for context. */
  readonly keys: readonly string[];
  /** What kind of content: `JSON`, `JWT claims`, `a Java serialised object`, `text with e-mail addresses`, … */
  readonly content: string | null;
}

const SAMPLE = 50;
const EMAIL = /[^\s@"<>:;,=]+@[^\s@"<>:;,=]+\.[A-Za-z]{2,}/;
const KEY_VALUE = /(?:^|[;&|,\s])([A-Za-z_][A-Za-z0-9_.-]{1,30})\s*[=:]\s*[^;&|,\s]+/g;
const SENSITIVE_KEY = /^(user|username|uid|user_?id|role|roles|admin|is_?admin|email|name|login|group|exp|expires)$/i;

/** Examine the first tokens for readable data. */
export function findReadable(values: readonly string[]): ReadableReport {
  const sample = values.slice(0, SAMPLE);
  let readable = 0;
  let chain: string | null = null;
  let content: string | null = null;
  const fields = new Map<string, SensitiveKind>();
  const keys = new Set<string>();
  for (const value of sample) {
    const found = inspect(value);
    if (!found) continue;
    readable++;
    chain ??= found.chain;
    content ??= found.content;
    for (const f of found.fields) if (!fields.has(f.path)) fields.set(f.path, f.kind);
    for (const k of found.keys) keys.add(k);
  }
  return {
    checked: sample.length,
    readable,
    chain,
    fields: [...fields.entries()].map(([path, kind]) => ({ path, kind })),
    keys: [...keys].slice(0, 20),
    content,
  };
}

interface Inspection {
  readonly chain: string;
  readonly content: string;
  readonly fields: readonly { path: string; kind: SensitiveKind }[];
  readonly keys: readonly string[];
}

function inspect(value: string): Inspection | null {
  const layers = decodeValue(value);
  // Deepest layer with meaning wins: base64 → JSON is more telling than base64 alone.
  const meaningful = layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => layer.json !== undefined || layer.format !== undefined || meaningfulText(layer))
    .sort((a, b) => b.layer.depth - a.layer.depth);
  const best = meaningful[0];
  if (best) {
    const { layer } = best;
    const json = layer.json;
    const keys = json && typeof json === "object" && !Array.isArray(json) ? Object.keys(json) : [];
    return {
      chain: chainOf(layers, best.index),
      content: contentOf(layer),
      fields: json !== undefined ? findSensitiveFields(json) : textFields(layer.text),
      keys,
    };
  }
  // In plain sight: `user=alice|role=admin`, `alice@example.com-123`.
  if (EMAIL.test(value) || textFields(value).length > 0) {
    return { chain: "plain text", content: contentOfText(value), fields: textFields(value), keys: [] };
  }
  return null;
}

function meaningfulText(layer: DecodedLayer): boolean {
  if (!layer.printable || layer.encoding === "url" || layer.encoding === "cookie-signature") return false;
  const text = layer.text;
  if (EMAIL.test(text)) return true;
  if (textFields(text).length > 0) return true;
  // Words: several runs of ≥ 3 letters separated by spaces or punctuation, as in prose or `alice:admin:1700000000`.
  const words = text.match(/[A-Za-z]{3,}/g) ?? [];
  const separators = text.match(/[\s:;|,=]/g) ?? [];
  return words.length >= 2 && separators.length >= 1 && words.join("").length >= 0.4 * text.length;
}

function textFields(text: string): { path: string; kind: SensitiveKind }[] {
  const out: { path: string; kind: SensitiveKind }[] = [];
  for (const match of text.matchAll(KEY_VALUE)) {
    const key = match[1]!;
    if (!SENSITIVE_KEY.test(key)) continue;
    const kind = findSensitiveFields({ [key]: "x" })[0]?.kind ?? "other";
    if (!out.some((f) => f.path === key)) out.push({ path: key, kind });
  }
  if (EMAIL.test(text) && !out.some((f) => f.kind === "email")) out.push({ path: "(text)", kind: "email" });
  return out;
}

function chainOf(layers: readonly DecodedLayer[], index: number): string {
  const steps: string[] = [];
  let i = index;
  while (i >= 0) {
    const layer = layers[i]!;
    steps.unshift(layer.encoding === "json" ? "JSON" : layer.encoding === "jwt" ? "JWT" : layer.encoding);
    i = layer.parent;
  }
  const last = layers[index]!;
  if (last.json !== undefined && last.encoding !== "json" && last.encoding !== "jwt") steps.push("JSON");
  return steps.join(" → ");
}

function contentOf(layer: DecodedLayer): string {
  if (layer.encoding === "jwt") return "JWT claims";
  if (layer.format) return `a ${layer.format.replace("-", " ")} object`;
  if (layer.json !== undefined) return "JSON";
  return contentOfText(layer.text);
}

function contentOfText(text: string): string {
  if (EMAIL.test(text)) return "text with an e-mail address";
  if (textFields(text).length > 0) return "key=value session state";
  return "readable text";
}
