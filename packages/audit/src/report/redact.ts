import { escapeRegExp } from "../lib/escape-regexp.js";
import type { Finding, Report, TokenSummary } from "./model.js";

/** Placeholder for a removed secret of `length` characters. */
export function redacted(length: number): string {
  return `[REDACTED:${length} chars]`;
}

const PLACEHOLDER = /^\[REDACTED:\d+ chars\]$/;
const PLACEHOLDER_SOURCE = String.raw`\[REDACTED:\d+ chars\]`;

// Shorter strings are too likely to occur by chance ("on", "id", "1") and would shred the text.
const MIN_SECRET_LENGTH = 4;

// Reproduce steps use `<TOKEN>` placeholders and shell variables (`$id`, `${SID}`):
// they name a secret without being one, and the reader needs to see them.
const NOT_A_SECRET = /^(?:\[REDACTED:|<[^<>\s]+>$|\$\{?\w+\}?$|\{\{\s*\w+\s*\}\}$)/;

function mask(value: string): string {
  if (value === "" || NOT_A_SECRET.test(value)) return value;
  return redacted(value.length);
}

// A cookie value, quoted (`"…"`, RFC 6265 allows it) or bare: the quotes stay visible.
function maskCookieValue(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return `"${mask(value.slice(1, -1))}"`;
  const trimmed = value.trimEnd();
  return mask(trimmed) + value.slice(trimmed.length);
}

// `name=value; name2="value2"` → values masked, names and separators kept.
function maskPairs(list: string): string {
  return list.replace(
    /([^=;,\s]+)(\s*=\s*)("[^"]*"|[^;,\s"']*)/g,
    (_m, name: string, eq: string, value: string) => `${name}${eq}${maskCookieValue(value)}`,
  );
}

// Field names whose values are credentials, in forms, query strings and JSON.
const SECRET_FIELD = String.raw`[\w.-]*(?:password|passwd|pwd|secret|token)`;
// Session ids carried in URLs (`;jsessionid=…`, `?PHPSESSID=…`): the `id-in-url` evidence.
const URL_SESSION_PARAM = String.raw`jsessionid|phpsessid|aspsessionid\w*|sessionid|session_id|sid`;

const PATTERNS: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]> = [
  // Set-Cookie: only the first pair is the cookie; what follows `;` are attributes to keep.
  [
    /(set-cookie\s*:\s*)([^=;\s]+)(\s*=\s*)("[^"\r\n]*"|[^;\r\n"']*)/gi,
    (_m, head, name, eq, value) => `${head}${name}${eq}${maskCookieValue(value ?? "")}`,
  ],
  // Cookie: every pair is a cookie; stop at a quote so curl's -H '…' stays intact.
  [/((?<!set-)cookie\s*:\s*)([^\r\n"']*)/gi, (_m, head, list) => `${head}${maskPairs(list ?? "")}`],
  // curl -b / --cookie with name=value pairs (a bare file name is left alone).
  [
    /((?:^|\s)(?:-b|--cookie)[\s=]+)(['"])([^'"]*=[^'"]*)\2/g,
    (_m, head, quote, list) => `${head}${quote}${maskPairs(list ?? "")}${quote}`,
  ],
  [/((?:^|\s)(?:-b|--cookie)[\s=]+)([^\s'"]*=[^\s'"]*)/g, (_m, head, list) => `${head}${maskPairs(list ?? "")}`],
  // Authorization: keep the scheme (Basic, Bearer), mask the credentials.
  [
    /((?:proxy-)?authorization\s*:\s*)(?:([A-Za-z][\w-]*)(\s+))?([^\r\n"']+)/gi,
    (_m, head, scheme, space, cred) => `${head}${scheme ?? ""}${space ?? ""}${mask((cred ?? "").trimEnd())}`,
  ],
  // curl -u user:password
  [
    /((?:^|\s)(?:-u|--user)[\s=]+)(['"]?)([^:\s'"]+):([^\s'"]+)\2/g,
    (_m, head, quote, user, pass) => `${head}${quote}${user}:${mask(pass ?? "")}${quote}`,
  ],
  // Credentials in URLs: scheme://user:password@host
  [/(\b[a-z][\w+.-]*:\/\/[^:/?#\s@]+:)([^@/?#\s]+)(@)/gi, (_m, head, pass, at) => `${head}${mask(pass ?? "")}${at}`],
  // JWTs wherever they appear; the signature part may be empty (alg: none).
  [/eyJ[\w-]{4,}\.eyJ[\w-]{2,}\.[\w-]*/g, (m) => mask(m)],
  [/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, (m) => mask(m)],
  // JSON fields: "password": "…"
  [
    new RegExp(String.raw`("${SECRET_FIELD}"\s*:\s*")((?:[^"\\]|\\.)*)(")`, "gi"),
    (_m, head, value, tail) => `${head}${mask(value ?? "")}${tail}`,
  ],
  // Form and query fields: password=…&
  [
    new RegExp(String.raw`((?:^|[\s?&;'"{,(])${SECRET_FIELD}=)([^&\s'"]+)`, "gi"),
    (_m, head, value) => `${head}${mask(value ?? "")}`,
  ],
  [
    new RegExp(String.raw`([;?&](?:${URL_SESSION_PARAM})=)([^&#?;\s'"\x60<>()]+)`, "gi"),
    (_m, head, value) => `${head}${mask(value ?? "")}`,
  ],
];

/**
 * Removes secrets from text before it reaches a report: the known secrets
 * (tokens the audit handled, configured passwords, keys) wherever they occur,
 * plus, by pattern, cookie values in `Cookie:`/`Set-Cookie:` lines and curl
 * `-b`, `Authorization` credentials, JWTs, and `password`/`passwd`/`pwd`/
 * `secret`/`token` form, query or JSON fields. Cookie names and attributes
 * stay, so the evidence still shows what was observed. Applying it twice
 * changes nothing more.
 *
 * @example
 * const r = new Redactor();
 * r.add(sessionToken);
 * r.apply("Set-Cookie: sid=abc…; Path=/; HttpOnly"); // "Set-Cookie: sid=[REDACTED:43 chars]; Path=/; HttpOnly"
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #matcher: RegExp | null = null;

  /**
   * Registers a secret to remove wherever it appears, also in its
   * URL-encoded form (how passwords appear in form bodies). Strings shorter
   * than 4 characters are ignored.
   */
  add(secret: string): this {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) return this;
    for (const variant of [secret, encodeURIComponent(secret), encodeURIComponent(secret).replaceAll("%20", "+")]) {
      if (variant.length >= MIN_SECRET_LENGTH) this.#secrets.add(variant);
    }
    this.#matcher = null;
    return this;
  }

  /** A new redactor with this one's secrets plus `secrets`; this one is unchanged. */
  with(secrets: Iterable<string>): Redactor {
    const copy = new Redactor();
    for (const s of this.#secrets) copy.#secrets.add(s);
    for (const s of secrets) copy.add(s);
    return copy;
  }

  /** Number of distinct secret strings registered (variants included). */
  get size(): number {
    return this.#secrets.size;
  }

  /** `text` with every known secret and every secret-looking value replaced by `[REDACTED:<n> chars]`. */
  apply(text: string): string {
    let out = text;
    // Patterns first: they keep names and attributes, and report the full value's length.
    for (const [pattern, replace] of PATTERNS) {
      // String.replace passes (match, ...groups, offset, input); none of the patterns has named groups.
      out = out.replace(pattern, (...args: unknown[]) => replace(...(args.slice(0, -2) as string[])));
    }
    const matcher = this.#knownSecrets();
    if (matcher !== null) {
      // Placeholders are matched first so a secret like "char" never cuts into one.
      out = out.replace(matcher, (m) => (PLACEHOLDER.test(m) ? m : redacted(m.length)));
    }
    return out;
  }

  #knownSecrets(): RegExp | null {
    if (this.#secrets.size === 0) return null;
    if (this.#matcher === null) {
      // Longest first, so a secret that contains another is removed whole.
      const alternatives = [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.#matcher = new RegExp(`${PLACEHOLDER_SOURCE}|${alternatives.join("|")}`, "g");
    }
    return this.#matcher;
  }
}

function redactFinding(f: Finding, r: Redactor): Finding {
  const a = (s: string): string => r.apply(s);
  return {
    ...f,
    title: a(f.title),
    description: a(f.description),
    impact: a(f.impact),
    likelihood: a(f.likelihood),
    evidence: f.evidence.map(a),
    reproduce: f.reproduce.map(a),
    recommendation: a(f.recommendation),
    fixes: f.fixes.map((x) => ({ platform: x.platform, code: a(x.code) })),
    verification: a(f.verification),
    references: f.references.map(a),
    // Observed values are what a secret would most likely be: the same rules as the prose.
    args: Object.fromEntries(Object.entries(f.args ?? {}).map(([k, v]) => [k, typeof v === "string" ? a(v) : v])),
  };
}

function redactTokens(t: TokenSummary, r: Redactor): TokenSummary {
  return {
    ...t,
    ...(t.generator === null ? {} : { generator: r.apply(t.generator) }),
    ...(t.verdict === undefined ? {} : { verdict: r.apply(t.verdict) }),
    // A predicted token is by definition a live credential of somebody else: mask it whole.
    ...(t.predicted === undefined ? {} : { predicted: t.predicted.map((p) => maskWhole(p, r)) }),
    ...(t.warnings === undefined ? {} : { warnings: t.warnings.map((w) => r.apply(w)) }),
  };
}

function maskWhole(value: string, r: Redactor): string {
  const applied = r.apply(value);
  return PLACEHOLDER.test(applied) ? applied : redacted(value.length);
}

/**
 * A copy of `report` with the redactor applied to every string of every
 * finding, every check reason, the token summary texts, the verification
 * command and the target (URLs may carry credentials). Predicted tokens are
 * masked whole and also removed wherever else they appear. The engine calls
 * this before rendering unless secrets are explicitly requested.
 */
export function redactReport(report: Report, redactor: Redactor): Report {
  const r = redactor.with(report.tokens.predicted ?? []);
  return {
    ...report,
    target: r.apply(report.target),
    results: report.results.map((x) => ({ ...x, reason: r.apply(x.reason) })),
    findings: report.findings.map((f) => redactFinding(f, r)),
    tokens: redactTokens(report.tokens, r),
    ...(report.verification === undefined ? {} : { verification: r.apply(report.verification) }),
  };
}
