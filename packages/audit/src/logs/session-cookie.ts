/**
 * Well-known session cookie names, tried in this order when `--cookie` is not
 * given and the logged Cookie header has several pairs.
 */
export const KNOWN_SESSION_COOKIES: readonly string[] = [
  "__Host-sid",
  "__Secure-sid",
  "sid",
  "PHPSESSID",
  "JSESSIONID",
  "connect.sid",
  "ASP.NET_SessionId",
  "ASPSESSIONID",
  "sessionid",
  "session_id",
  "session",
  "_session_id",
  "laravel_session",
  "rack.session",
  "__Host-session",
  "_sid",
];

/**
 * Picks the session cookie out of a logged cookie field (the last quoted
 * field of a combined line, or `http_cookie`): the whole Cookie header
 * (`a=1; sid=…`), one `name=value` pair, or a bare value; `-` or empty means
 * none. Cheap on purpose: it runs once per log line.
 */
export class SessionCookiePicker {
  #name: string | null;
  #needle: string | null;

  /** @param name - the cookie name (`--cookie`), or `null` to detect it */
  constructor(name: string | null) {
    this.#name = name;
    this.#needle = name === null ? null : `${name}=`;
  }

  /** The cookie name in use: given, detected, or `null` while unknown. */
  get name(): string | null {
    return this.#name;
  }

  /** The session value in `field`, or `null`. */
  pick(field: string): string | null {
    if (field === "" || field === "-") return null;
    const eq = field.indexOf("=");
    if (eq < 0) return field.trim() || null;
    if (this.#needle !== null) return valueAfter(field, this.#needle);
    // Detection: a known name wins; a single pair names the cookie; it then sticks for the run.
    for (const name of KNOWN_SESSION_COOKIES) {
      const value = valueAfter(field, `${name}=`);
      if (value !== null) {
        this.#name = name;
        this.#needle = `${name}=`;
        return value;
      }
    }
    if (field.indexOf(";") < 0) {
      const name = field.slice(0, eq).trim();
      if (name !== "") {
        this.#name = name;
        this.#needle = `${name}=`;
      }
      return field.slice(eq + 1).trim() || null;
    }
    return null;
  }
}

function valueAfter(field: string, needle: string): string | null {
  let at = field.indexOf(needle);
  while (at >= 0) {
    // A match must start a pair: at the beginning, or after `;` and optional spaces.
    let before = at - 1;
    while (before >= 0 && field.charCodeAt(before) === 32) before--;
    if (before < 0 || field.charCodeAt(before) === 59) {
      const start = at + needle.length;
      let end = field.indexOf(";", start);
      if (end < 0) end = field.length;
      let value = field.slice(start, end).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value === "" ? null : value;
    }
    at = field.indexOf(needle, at + 1);
  }
  return null;
}
