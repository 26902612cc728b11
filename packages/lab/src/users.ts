import { timingSafeEqual } from "node:crypto";

/** The lab's demo accounts (SPEC §4.1): alice / alice-pw and bob / bob-pw. */
export const DEMO_USERS: Readonly<Record<string, string>> = { alice: "alice-pw", bob: "bob-pw" };

/** An in-memory user directory whose passwords can change (for credential-change checks). */
export class UserDirectory {
  readonly #passwords = new Map<string, string>(Object.entries(DEMO_USERS));

  /** True when the password matches (constant time for equal lengths). */
  verify(username: string, password: string): boolean {
    const expected = this.#passwords.get(username);
    if (expected === undefined) return false;
    const a = Buffer.from(password);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Sets a new password; returns false when the current one is wrong. */
  change(username: string, current: string, next: string): boolean {
    if (!this.verify(username, current) || next.length === 0) return false;
    this.#passwords.set(username, next);
    return true;
  }
}
