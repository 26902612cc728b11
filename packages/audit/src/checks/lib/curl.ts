/** Shell-quotes a string for a POSIX shell. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_\-./:=@%+]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command an engineer can paste. Secrets never appear: pass
 * placeholders such as `<SESSION_TOKEN>` for token values.
 */
export function curl(
  url: string,
  options: { method?: string; cookie?: string; form?: Record<string, string>; json?: unknown; headers?: boolean } = {},
): string {
  const parts = ["curl", "-s"];
  if (options.headers !== false) parts.push("-i");
  if (options.method !== undefined && options.method !== "GET") parts.push("-X", options.method);
  if (options.cookie !== undefined) parts.push("-b", shellQuote(options.cookie));
  if (options.form !== undefined) parts.push("--data", shellQuote(new URLSearchParams(options.form).toString()));
  if (options.json !== undefined) {
    parts.push("-H", shellQuote("content-type: application/json"), "--data", shellQuote(JSON.stringify(options.json)));
  }
  parts.push(shellQuote(url));
  return parts.join(" ");
}

/** Placeholder form: the same field names, values replaced by `<FIELD>` so no credential is printed. */
export function placeholderForm(form: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.keys(form ?? {}).map((k) => [k, `<${k.toUpperCase()}>`]));
}

/** A JSON body with every string or number leaf replaced by a `<KEY>` placeholder. */
export function placeholderJson(value: unknown, key = "VALUE"): unknown {
  if (Array.isArray(value)) return value.map((v) => placeholderJson(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholderJson(v, k)]));
  }
  return typeof value === "string" || typeof value === "number" ? `<${key.toUpperCase()}>` : value;
}

/** The body of a configured request (login, password change) with placeholders instead of credentials. */
export function placeholderBody(
  request: { readonly form?: Readonly<Record<string, string>> | undefined; readonly json?: unknown } | undefined,
): {
  form?: Record<string, string>;
  json?: unknown;
} {
  if (request?.form !== undefined) return { form: placeholderForm(request.form) };
  if (request?.json !== undefined) return { json: placeholderJson(request.json) };
  return {};
}
