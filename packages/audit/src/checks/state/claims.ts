import type { SensitiveKind } from "../../tokens/decode.js";

/** The identity the auditor writes into tampered state: unmistakable in a response body, never a real account. */
export const PROBE_USER = "sg-probe-user";
/** The e-mail form of {@link PROBE_USER}, for fields that are validated as addresses. */
export const PROBE_EMAIL = "sg-probe-user@example.com";

/** A field of decoded state, by JSON path (as `findSensitiveFields` writes it) and kind. */
export interface StateField {
  readonly path: string;
  readonly kind: SensitiveKind;
}

/** Field kinds that name the user. */
export const IDENTITY_KINDS: ReadonlySet<SensitiveKind> = new Set(["user", "email", "id"]);
/** Field kinds that grant privileges. */
export const PRIVILEGE_KINDS: ReadonlySet<SensitiveKind> = new Set(["role", "admin-flag"]);

type Segment = string | number;

function segments(path: string): Segment[] {
  const out: Segment[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) out.push(Number(match[1]));
    else if (match[2] !== undefined) out.push(match[2]);
  }
  return out;
}

/** The value at a `findSensitiveFields` path (`user.role`, `roles[0]`), or `undefined`. */
export function getPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const segment of segments(path)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A deep copy of `root` with the value at `path` replaced; the original is not touched. */
export function setPath<T>(root: T, path: string, value: unknown): T {
  const copy = structuredClone(root);
  const parts = segments(path);
  const last = parts.pop();
  if (last === undefined) return copy;
  let node: unknown = copy;
  for (const segment of parts) {
    if (node === null || typeof node !== "object") return copy;
    node = (node as Record<string | number, unknown>)[segment];
  }
  if (node !== null && typeof node === "object") (node as Record<string | number, unknown>)[last] = value;
  return copy;
}

/** One modification of decoded state and how its success shows in a response. */
export interface TamperPlan {
  /** `identity` (become another user) or `privilege` (become an administrator). */
  readonly kind: "identity" | "privilege";
  /** What was changed, for reports: `user: "alice" → "sg-probe-user"`. */
  readonly summary: string;
  /** The modified claims. */
  readonly claims: unknown;
  /**
   * Pairs of (original value, new value) of identity fields: the oracle's
   * `loggedIn` pattern often names the audited user, so it is rewritten with
   * these before it judges a tampered response.
   */
  readonly renamed: ReadonlyArray<readonly [string, string]>;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * The modifications an attacker tries first: every string identity field set
 * to {@link PROBE_USER} (so the response proves which identity the server
 * used), and every role or admin flag raised to `admin`/`true`. A field of a
 * JWT's registered lifetime claims is never touched here.
 */
export function tamperPlans(claims: unknown, fields: readonly StateField[]): TamperPlan[] {
  const plans: TamperPlan[] = [];
  let identity = claims;
  const renamed: Array<readonly [string, string]> = [];
  const identityChanges: string[] = [];
  for (const field of fields) {
    if (!IDENTITY_KINDS.has(field.kind)) continue;
    const value = getPath(claims, field.path);
    if (typeof value !== "string" || value === "") continue;
    const probe = field.kind === "email" || value.includes("@") ? PROBE_EMAIL : PROBE_USER;
    if (value === probe) continue;
    identity = setPath(identity, field.path, probe);
    renamed.push([value, probe]);
    identityChanges.push(`${field.path}: ${show(value)} → ${show(probe)}`);
  }
  if (identityChanges.length > 0) {
    plans.push({ kind: "identity", summary: identityChanges.join(", "), claims: identity, renamed });
  }
  let privilege = claims;
  const privilegeChanges: string[] = [];
  for (const field of fields) {
    if (!PRIVILEGE_KINDS.has(field.kind)) continue;
    const value = getPath(claims, field.path);
    const raised = raise(value);
    if (raised === undefined) continue;
    privilege = setPath(privilege, field.path, raised);
    privilegeChanges.push(`${field.path}: ${show(value)} → ${show(raised)}`);
  }
  if (privilegeChanges.length > 0) {
    plans.push({ kind: "privilege", summary: privilegeChanges.join(", "), claims: privilege, renamed: [] });
  }
  return plans;
}

function raise(value: unknown): unknown {
  if (typeof value === "boolean") return value ? undefined : true;
  if (typeof value === "number") return value === 0 ? 1 : undefined;
  if (typeof value === "string") {
    if (/^(false|0|no|n)$/i.test(value)) return /^\d$/.test(value) ? "1" : "true";
    if (/admin/i.test(value)) return undefined;
    // A role list written as a space- or comma-separated string (OAuth `scope`).
    if (/[ ,]/.test(value.trim())) return `${value}${value.includes(",") ? "," : " "}admin`;
    return "admin";
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return value.some((v) => /admin/i.test(v)) ? undefined : [...value, "admin"];
  }
  return undefined;
}

const SECRET_KEY = /pass|pwd|secret|token|key|csrf|xsrf|otp|nonce|sig/i;
const OPAQUE = /^[A-Za-z0-9+/_=.-]{20,}$/;

/**
 * Claims for reports: values of secret-looking keys and long opaque strings
 * (embedded session ids, tokens) become `<MASKED>`; identity, role and
 * lifetime claims stay readable because they are the finding.
 */
export function maskClaims(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => maskClaims(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskClaims(v, k)]));
  }
  if (typeof value === "string" && (SECRET_KEY.test(key) || OPAQUE.test(value)) && value !== "") return "<MASKED>";
  return value;
}

/** Claims as one line of JSON for evidence, masked and cut at 400 characters. */
export function showClaims(claims: unknown): string {
  const text = JSON.stringify(maskClaims(claims)) ?? "";
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}
