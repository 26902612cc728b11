/** One `key = value` line of an ini file. Lines and columns are 1-based. */
export interface IniDirective {
  /** Lower-cased key, e.g. `session.cookie_secure`. */
  readonly key: string;
  /** Value without quotes and trailing comment. */
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Reads the directives of a `php.ini`/`.user.ini` with their lines (the npm
 * `ini` package drops positions, which findings need). Sections are ignored,
 * as PHP itself ignores them except for `[PATH=…]`/`[HOST=…]`.
 */
export function parseIni(text: string): IniDirective[] {
  const directives: IniDirective[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#") || line.startsWith("[")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) return;
    const key = line.slice(0, eq).trim().toLowerCase();
    let value = line.slice(eq + 1).trim();
    const quoted = /^"([^"]*)"|^'([^']*)'/.exec(value);
    if (quoted !== null) value = quoted[1] ?? quoted[2] ?? "";
    else value = (value.split(";")[0] ?? "").trim();
    directives.push({ key, value, line: index + 1, column: raw.indexOf(raw.trimStart()) + 1 });
  });
  return directives;
}

/** PHP's reading of an ini boolean: `1`, `On`, `true`, `yes` are true. */
export function iniTrue(value: string): boolean {
  return /^(1|on|true|yes)$/i.test(value.trim());
}
