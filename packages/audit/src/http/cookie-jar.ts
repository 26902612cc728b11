import { type Cookie, parse } from "set-cookie-parser";

/** A cookie as the jar keeps it, with the attributes the server set. */
export interface JarCookie {
  readonly name: string;
  readonly value: string;
  readonly secure: boolean;
  readonly path: string;
  /** The raw `Set-Cookie` line it came from (for evidence), or `null` when set by the auditor. */
  readonly raw: string | null;
}

/** True when a Set-Cookie line deletes the cookie rather than setting it. */
export function isDeletion(cookie: Cookie, now: number = Date.now()): boolean {
  if (cookie.value === "") return true;
  if (cookie.maxAge !== undefined && cookie.maxAge <= 0) return true;
  return cookie.expires !== undefined && cookie.expires.getTime() <= now;
}

/**
 * Parses one `Set-Cookie` line with set-cookie-parser, the value left encoded
 * as sent; `undefined` for a line that names no cookie (`;`, ` ;`, `=x`, an
 * empty line). A hostile target's malformed header is evidence, never a crash
 * (set-cookie-parser throws on `;`).
 */
export function parseSetCookie(line: string): Cookie | undefined {
  let cookie: Cookie | undefined;
  try {
    [cookie] = parse([line], { decodeValues: false });
  } catch {
    return undefined;
  }
  return cookie !== undefined && cookie.name.trim() !== "" ? cookie : undefined;
}

/** The cookies of several `Set-Cookie` lines ({@link parseSetCookie}), malformed lines left out. */
export function parseSetCookies(lines: readonly string[]): Cookie[] {
  return lines.flatMap((line) => parseSetCookie(line) ?? []);
}

/**
 * A cookie jar for one target origin. The auditor replays, swaps and
 * tampers with cookies on purpose, so this jar is explicit: name → cookie,
 * with deletions honoured and `Secure` cookies sent to loopback over HTTP as
 * browsers do (SPEC §2.2).
 */
export class CookieJar {
  readonly #cookies = new Map<string, JarCookie>();

  /** Applies the `Set-Cookie` lines of one response. */
  absorb(lines: readonly string[]): void {
    for (const line of lines) {
      const cookie = parseSetCookie(line);
      if (cookie === undefined) continue;
      if (isDeletion(cookie)) {
        this.#cookies.delete(cookie.name);
        continue;
      }
      this.#cookies.set(cookie.name, {
        name: cookie.name,
        value: cookie.value,
        secure: cookie.secure === true,
        path: cookie.path ?? "/",
        raw: line,
      });
    }
  }

  /** Sets a cookie by hand (an attacker-chosen or tampered value). */
  set(name: string, value: string): void {
    this.#cookies.set(name, { name, value, secure: false, path: "/", raw: null });
  }

  /** Removes a cookie. */
  delete(name: string): void {
    this.#cookies.delete(name);
  }

  /** The value of a cookie, if the jar holds it. */
  get(name: string): string | undefined {
    return this.#cookies.get(name)?.value;
  }

  /** All cookies. */
  all(): JarCookie[] {
    return [...this.#cookies.values()];
  }

  /**
   * The `Cookie` header for a request, or `undefined` when empty.
   * @param secureContext - HTTPS or a loopback origin: `Secure` cookies may be sent
   */
  header(secureContext: boolean): string | undefined {
    const parts = this.all()
      .filter((c) => secureContext || !c.secure)
      .map((c) => `${c.name}=${c.value}`);
    return parts.length === 0 ? undefined : parts.join("; ");
  }

  /** An independent copy (a second browser with the same cookies). */
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const c of this.#cookies.values()) copy.#cookies.set(c.name, c);
    return copy;
  }
}
