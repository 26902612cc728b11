import type { Severity } from "../../report/model.js";

/** A php-parser AST node (glayzzle `php-parser`), read loosely. */
interface PhpNode {
  readonly kind: string;
  readonly loc?: { readonly start: Position; readonly end: Position } | null;
  readonly [key: string]: unknown;
}
interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A location in a PHP or ini file (1-based). */
export interface PhpLocation {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A session directive set in code (`ini_set`, `session_set_cookie_params`); `value` undefined when not static. */
export interface CodeSetting {
  readonly key: string;
  readonly value: string | undefined;
  readonly at: PhpLocation;
}

/** A per-file PHP finding before it gets its file and snippet. */
export interface PhpIssue {
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  readonly at: PhpLocation;
}

/** What a PHP file contributes: its own findings, the directives its code sets, and where sessions start. */
export interface PhpFacts {
  readonly issues: PhpIssue[];
  readonly settings: CodeSetting[];
  readonly sessionStarts: PhpLocation[];
}

const PREDICTABLE = /^(mt_rand|rand|uniqid|time|microtime|lcg_value|hrtime|getmypid|mt_srand|srand)$/i;
const CSPRNG = /^(random_bytes|random_int|openssl_random_pseudo_bytes|session_create_id)$/i;
const TOKEN_NAME = /(token|session_?id|sess_?id|^sid$|nonce|csrf|api_?key|reset_?code)/i;
const AUTH_KEY =
  /^(user|users?_?id|uid|userid|username|user_?name|logged_?in|is_?logged_?in|auth|authenticated|is_?admin|role|email|account_?id)$/i;
const COOKIE_PARAMS = ["cookie_lifetime", "cookie_path", "cookie_domain", "cookie_secure", "cookie_httponly"];

function isNode(v: unknown): v is PhpNode {
  return typeof v === "object" && v !== null && typeof (v as PhpNode).kind === "string";
}

function children(n: PhpNode): PhpNode[] {
  const out: PhpNode[] = [];
  for (const [key, value] of Object.entries(n)) {
    if (key === "loc" || key === "leadingComments" || key === "trailingComments") continue;
    if (Array.isArray(value)) {
      for (const c of value) if (isNode(c)) out.push(c);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

function walk(n: PhpNode, visit: (node: PhpNode, scope: PhpNode) => void, scope: PhpNode = n): void {
  visit(n, scope);
  const inner =
    n.kind === "function" || n.kind === "method" || n.kind === "closure" || n.kind === "arrowfunc" ? n : scope;
  for (const c of children(n)) walk(c, visit, inner);
}

function location(n: PhpNode): PhpLocation {
  const loc = n.loc;
  if (loc == null) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { line: loc.start.line, column: loc.start.column + 1, endLine: loc.end.line, endColumn: loc.end.column + 1 };
}

function callName(n: PhpNode): string | undefined {
  if (n.kind !== "call") return undefined;
  const what = n["what"] as PhpNode | undefined;
  return what !== undefined && what.kind === "name" ? String(what["name"]).replace(/^\\/, "").toLowerCase() : undefined;
}

function args(n: PhpNode): PhpNode[] {
  return ((n["arguments"] as unknown[]) ?? []).filter(isNode);
}

/** Static value of a literal as PHP's ini layer would store it. */
function literal(n: PhpNode | undefined): string | undefined {
  if (n === undefined) return undefined;
  if (n.kind === "string" || n.kind === "number") return String(n["value"]);
  if (n.kind === "boolean") return n["value"] === true ? "1" : "0";
  if (n.kind === "bin" && (n["type"] === "*" || n["type"] === "+")) {
    const a = Number(literal(n["left"] as PhpNode | undefined));
    const b = Number(literal(n["right"] as PhpNode | undefined));
    if (Number.isFinite(a) && Number.isFinite(b)) return String(n["type"] === "*" ? a * b : a + b);
  }
  if (n.kind === "name" || n.kind === "constref") {
    const name = String(n["name"]).toLowerCase();
    if (name === "true") return "1";
    if (name === "false" || name === "null") return "0";
  }
  return undefined;
}

function nameOf(target: PhpNode): string | undefined {
  if (target.kind === "variable") return typeof target["name"] === "string" ? target["name"] : undefined;
  if (target.kind === "offsetlookup") {
    const offset = target["offset"] as PhpNode | undefined;
    const key = literal(offset);
    return key;
  }
  if (target.kind === "propertylookup" || target.kind === "staticlookup") {
    const offset = target["offset"] as PhpNode | undefined;
    return offset !== undefined && offset.kind === "identifier" ? String(offset["name"]) : undefined;
  }
  return undefined;
}

function isSessionLookup(target: PhpNode): boolean {
  if (target.kind !== "offsetlookup") return false;
  const what = target["what"] as PhpNode | undefined;
  return what !== undefined && what.kind === "variable" && what["name"] === "_SESSION";
}

function subtree(n: PhpNode, test: (m: PhpNode) => boolean): boolean {
  if (test(n)) return true;
  return children(n).some((c) => subtree(c, test));
}

/**
 * Reads one PHP file: ini_set / session_set_cookie_params settings,
 * session_start calls, and the per-file checks — predictable ids or tokens,
 * logins without `session_regenerate_id(true)`, logouts without
 * `session_destroy()`.
 */
export function phpFacts(program: unknown, text: string, fileName: string): PhpFacts {
  const root = program as PhpNode;
  const issues: PhpIssue[] = [];
  const settings: CodeSetting[] = [];
  const sessionStarts: PhpLocation[] = [];
  const assignments = new Map<string, PhpNode[]>();
  walk(root, (n) => {
    if (n.kind === "assign" && n["operator"] === "=") {
      const left = n["left"] as PhpNode;
      if (left.kind === "variable" && typeof left["name"] === "string") {
        const list = assignments.get(left["name"]) ?? [];
        list.push(n["right"] as PhpNode);
        assignments.set(left["name"], list);
      }
    }
  });

  const predictable = (expr: PhpNode, depth = 0): string | undefined => {
    let found: string | undefined;
    let secure = false;
    const visit = (m: PhpNode): void => {
      if (secure) return;
      const name = callName(m);
      if (name !== undefined && CSPRNG.test(name)) {
        secure = true;
        return;
      }
      if (found === undefined && name !== undefined && PREDICTABLE.test(name)) found = `${name}()`;
      if (found === undefined && m.kind === "variable" && typeof m["name"] === "string" && depth < 4) {
        for (const value of assignments.get(m["name"]) ?? []) {
          if (value === expr) continue;
          const inner = predictable(value, depth + 1);
          if (inner !== undefined) found = inner;
        }
      }
      for (const c of children(m)) visit(c);
    };
    visit(expr);
    return secure ? undefined : found;
  };

  const scopes = new Map<PhpNode, PhpNode[]>();
  walk(root, (n, scope) => {
    const list = scopes.get(scope) ?? [];
    list.push(n);
    scopes.set(scope, list);
  });
  const scopeCalls = (scope: PhpNode, name: string): PhpNode[] =>
    (scopes.get(scope) ?? []).filter((m) => callName(m) === name);
  const regeneratesTrue = (call: PhpNode): boolean => literal(args(call)[0]) === "1";

  walk(root, (n, scope) => {
    const name = callName(n);
    if (name === "session_start") sessionStarts.push(location(n));
    if (name === "ini_set") {
      const [key, value] = args(n);
      const k = literal(key)?.toLowerCase();
      if (k?.startsWith("session.") === true) settings.push({ key: k, value: literal(value), at: location(n) });
    }
    if (name === "session_set_cookie_params") {
      const [first, ...rest] = args(n);
      if (first?.kind === "array") {
        for (const item of (first["items"] as PhpNode[]) ?? []) {
          const key = literal(item["key"] as PhpNode | undefined)?.toLowerCase();
          if (key === undefined) continue;
          settings.push({ key: `session.cookie_${key}`, value: literal(item["value"] as PhpNode), at: location(n) });
        }
      } else if (first !== undefined) {
        [first, ...rest].forEach((a, i) => {
          const key = COOKIE_PARAMS[i];
          if (key === undefined || a.kind === "nullkeyword") return;
          settings.push({ key: `session.${key}`, value: literal(a), at: location(n) });
        });
      }
    }
    // Predictable ids and tokens reaching session_id(), a cookie or a token-named variable.
    if (name === "session_id" && args(n)[0] !== undefined) {
      const source = predictable(args(n)[0]!);
      if (source !== undefined)
        issues.push(predictableIssue(`The session id passed to session_id() comes from ${source}`, n));
    }
    if ((name === "setcookie" || name === "setrawcookie") && args(n)[1] !== undefined) {
      const source = predictable(args(n)[1]!);
      if (source !== undefined) issues.push(predictableIssue(`A cookie value comes from ${source}`, n));
    }
    if (n.kind === "assign" && n["operator"] === "=") {
      const left = n["left"] as PhpNode;
      const key = nameOf(left);
      const tokenTarget =
        key !== undefined && (TOKEN_NAME.test(key) || (isSessionLookup(left) && /^(id|sid)$/i.test(key)));
      if (tokenTarget) {
        const source = predictable(n["right"] as PhpNode);
        if (source !== undefined) issues.push(predictableIssue(`${key} comes from ${source}`, n));
      }
      // Logins: $_SESSION['user…'] = … after a password check, without session_regenerate_id(true).
      if (isSessionLookup(left) && key !== undefined && AUTH_KEY.test(key)) {
        const scopeText = scopeSource(scope, text);
        if (/password|passwd|pwd/i.test(scopeText)) {
          const regenerations = scopeCalls(scope, "session_regenerate_id");
          if (regenerations.length === 0) {
            issues.push({
              id: "fixation",
              severity: "high",
              message: `The login sets $_SESSION['${key}'] without session_regenerate_id(true): a session id planted before login stays valid after it (session fixation).`,
              fix: "session_regenerate_id(true);\n$_SESSION['user_id'] = $user['id'];",
              at: location(n),
            });
          } else if (!regenerations.some(regeneratesTrue)) {
            issues.push({
              id: "fixation",
              severity: "medium",
              message:
                "session_regenerate_id() without true keeps the pre-login session on the server: pass true to delete it.",
              fix: "session_regenerate_id(true);",
              at: location(regenerations[0]!),
            });
          }
        }
      }
    }
    // Logouts: a function named logout/sign-out, or a logout script, without session_destroy().
    if ((n.kind === "function" || n.kind === "method") && /^(log|sign)_?out$/i.test(identifierName(n) ?? "")) {
      if (!destroys(n)) issues.push(logoutIssue(n));
    }
  });
  const base = fileName.split(/[\\/]/).pop() ?? "";
  if (/^(log|sign)[-_]?out\.php$/i.test(base) && !destroys(root)) {
    const first = children(root)[0];
    issues.push(logoutIssue(first ?? root));
  }
  return { issues, settings, sessionStarts };

  function destroys(scope: PhpNode): boolean {
    return subtree(
      scope,
      (m) => callName(m) === "session_destroy" || (callName(m) === "session_regenerate_id" && regeneratesTrue(m)),
    );
  }
}

function identifierName(n: PhpNode): string | undefined {
  const name = n["name"] as PhpNode | string | undefined;
  if (typeof name === "string") return name;
  return name !== undefined && typeof name["name"] === "string" ? name["name"] : undefined;
}

function scopeSource(scope: PhpNode, text: string): string {
  const loc = scope.loc;
  return loc == null ? text : text.slice(loc.start.offset, loc.end.offset);
}

function predictableIssue(what: string, n: PhpNode): PhpIssue {
  return {
    id: "token-predictable",
    severity: "critical",
    message: `${what}, which an attacker can predict (md5/sha1 of it too): use random_bytes().`,
    fix: "$token = bin2hex(random_bytes(32));",
    at: location(n),
  };
}

function logoutIssue(n: PhpNode): PhpIssue {
  return {
    id: "logout-invalidation",
    severity: "high",
    message:
      "This logout does not call session_destroy(): clearing $_SESSION or the cookie leaves the session id valid on the server.",
    fix: "$_SESSION = [];\nsession_destroy();\nsetcookie(session_name(), '', ['expires' => 1, 'path' => '/', 'secure' => true, 'httponly' => true, 'samesite' => 'Lax']);",
    at: location(n),
  };
}
