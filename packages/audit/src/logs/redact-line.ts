import { redacted } from "../report/redact.js";

const LONG_RUN = /[A-Za-z0-9_\-+/%.~]{16,}={0,2}/g;
const PAIR = /([A-Za-z0-9_.\-$]+)=("[^"]*"|[^;&\s"]+)/g;

/** Query values masked, names kept: `/a?sid=[REDACTED:43 chars]&page=[REDACTED:1 chars]`. */
export function redactPath(path: string): string {
  const q = path.indexOf("?");
  const base = q < 0 ? path : path.slice(0, q);
  // Matrix parameters (`;jsessionid=…`) carry session ids too.
  const semi = base.indexOf(";");
  const clean =
    semi < 0
      ? base
      : `${base.slice(0, semi)};${base.slice(semi + 1).replace(PAIR, (_m, n: string, v: string) => `${n}=${redacted(v.length)}`)}`;
  if (q < 0) return clean.slice(0, 300);
  const query = path.slice(q + 1).replace(PAIR, (_m, n: string, v: string) => `${n}=${redacted(v.length)}`);
  return `${clean}?${query}`.slice(0, 300);
}

/**
 * A line that could not be parsed, safe to quote in a report: every
 * `name=value` value and every long token-like run is masked, and the text is
 * cut to `max` characters. Malformed lines are quoted so an operator can fix
 * the log format, not to show secrets.
 */
export function redactLine(line: string, max = 160): string {
  const cut = line.length > max * 4 ? line.slice(0, max * 4) : line;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary garbage is shown as escapes, not raw bytes.
  const visible = cut.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/g, "·");
  const masked = visible
    .replace(PAIR, (_m, n: string, v: string) => `${n}=${redacted(v.length)}`)
    .replace(LONG_RUN, (m) => (m.startsWith("[REDACTED") ? m : redacted(m.length)));
  return masked.length > max ? `${masked.slice(0, max)}… (${line.length} chars)` : masked;
}
