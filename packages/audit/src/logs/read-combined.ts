import { ClfTimeCache } from "./clf-time.js";
import type { LogEntry } from "./log-entry.js";
import type { SessionCookiePicker } from "./session-cookie.js";

/** The quoted fields a combined line needs: request, referer, user agent. */
const MIN_QUOTED = 3;

/**
 * Reads nginx/Apache "combined" lines with the session cookie in the last
 * quoted field (`docs/monitoring.md` has the `log_format`/`LogFormat`):
 *
 *     %h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i" "%{Cookie}i"
 *
 * A hand-written scanner rather than a regex: it runs once per line of
 * gigabyte logs and must also accept extra fields before the cookie.
 * Backslash-escaped quotes inside fields (Apache) are honoured.
 */
export class CombinedReader {
  readonly #time = new ClfTimeCache();
  readonly #cookie: SessionCookiePicker;

  constructor(cookie: SessionCookiePicker) {
    this.#cookie = cookie;
  }

  /** Parses one line; `null` when it is not a combined line. */
  read(line: string): LogEntry | null {
    const sp1 = line.indexOf(" ");
    if (sp1 <= 0) return null;
    const ip = line.slice(0, sp1);
    const open = line.indexOf("[", sp1);
    if (open < 0) return null;
    const close = line.indexOf("]", open);
    if (close < 0) return null;
    const time = this.#time.parse(line.slice(open + 1, close));
    if (time === null) return null;
    // `%l %u` sit between the address and the time: the user is the last token before `[`.
    const head = line.slice(sp1 + 1, open - 1);
    const spUser = head.lastIndexOf(" ");
    const userField = spUser < 0 ? head : head.slice(spUser + 1);
    const quoted: string[] = [];
    let statusText = "";
    let i = close + 1;
    const n = line.length;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c === 34) {
        let j = line.indexOf('"', i + 1);
        while (j > 0 && line.charCodeAt(j - 1) === 92 && !evenBackslashes(line, j - 1)) j = line.indexOf('"', j + 1);
        if (j < 0) return null;
        quoted.push(line.slice(i + 1, j));
        i = j + 1;
      } else if (c === 32) {
        i++;
      } else {
        let j = line.indexOf(" ", i);
        if (j < 0) j = n;
        if (quoted.length === 1 && statusText === "") statusText = line.slice(i, j);
        i = j;
      }
    }
    if (quoted.length < MIN_QUOTED) return null;
    const status = Number(statusText);
    if (!Number.isInteger(status) || status < 100 || status > 599) return null;
    const request = quoted[0] as string;
    const sp = request.indexOf(" ");
    const method = sp > 0 ? request.slice(0, sp) : null;
    const sp2 = sp > 0 ? request.indexOf(" ", sp + 1) : -1;
    const path = sp > 0 ? request.slice(sp + 1, sp2 < 0 ? undefined : sp2) : null;
    const ua = quoted[2] as string;
    return {
      kind: "request",
      time,
      ip,
      userAgent: ua === "-" || ua === "" ? null : ua,
      user: userField === "-" || userField === "" ? null : userField,
      method,
      path,
      status,
      session: quoted.length > MIN_QUOTED ? this.#cookie.pick(quoted[quoted.length - 1] as string) : null,
    };
  }
}

// `\\"` ends a field; `\"` does not.
function evenBackslashes(line: string, last: number): boolean {
  let count = 0;
  for (let k = last; k >= 0 && line.charCodeAt(k) === 92; k--) count++;
  return count % 2 === 0;
}
