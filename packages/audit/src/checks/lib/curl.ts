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
  options: { method?: string; cookie?: string; form?: Record<string, string>; headers?: boolean } = {},
): string {
  const parts = ["curl", "-s"];
  if (options.headers !== false) parts.push("-i");
  if (options.method !== undefined && options.method !== "GET") parts.push("-X", options.method);
  if (options.cookie !== undefined) parts.push("-b", shellQuote(options.cookie));
  if (options.form !== undefined) parts.push("--data", shellQuote(new URLSearchParams(options.form).toString()));
  parts.push(shellQuote(url));
  return parts.join(" ");
}

/** Placeholder form: the same field names, values replaced by `<FIELD>` so no credential is printed. */
export function placeholderForm(form: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.keys(form ?? {}).map((k) => [k, `<${k.toUpperCase()}>`]));
}
