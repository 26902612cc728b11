/**
 * Parsing of a pasted token list (`sessionguard tokens <file|->`), the way
 * one loads tokens into a sequencer by hand.
 */

const COOKIE_NAME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=/;

/**
 * Split a newline-separated token list.
 *
 * Lines are trimmed; blank lines and lines starting with `#` are ignored.
 * When every line starts with the same cookie name and `=` (`PHPSESSID=…`,
 * as copied from a `Cookie` or `Set-Cookie` header), the name is removed,
 * and so is anything after the first `;` (cookie attributes), which a cookie
 * value cannot contain. A base64 value ending in `=` keeps its padding: only
 * a shared leading `name=` is stripped.
 *
 * @param text the file or stdin contents (LF or CRLF line ends)
 * @returns the tokens in file order
 */
export function parseTokenList(text: string): string[] {
  const lines = text
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"))
    .map((line) => line.replace(/^set-cookie:\s*/i, ""));
  if (lines.length === 0) return [];
  const first = COOKIE_NAME.exec(lines[0]!)?.[1];
  if (first !== undefined && lines.every((line) => line.startsWith(`${first}=`))) {
    return lines
      .map((line) =>
        line
          .slice(first.length + 1)
          .split(";")[0]!
          .trim(),
      )
      .filter((v) => v.length > 0);
  }
  return lines;
}
