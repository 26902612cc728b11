import { parse } from "cookie";
import { generateKey, type Session, SessionManager, type SessionManagerOptions } from "../../src/index.js";
import { memoryStore } from "../../src/stores/memory.js";

/** A manager on a memory store with a clock the test moves. */
export function setup(options: Partial<SessionManagerOptions> = {}): {
  manager: SessionManager;
  clock: { now: number; advance(ms: number): void };
  store: ReturnType<typeof memoryStore>;
} {
  const clock = {
    now: 1_750_000_000_000,
    advance(ms: number) {
      this.now += ms;
    },
  };
  const store = memoryStore({ sweepInterval: 0, clock: () => clock.now });
  const manager = new SessionManager({ store, keys: [generateKey()], clock: () => clock.now, ...options });
  return { manager, clock, store };
}

/** A browser: keeps the session cookie between requests like a cookie jar. */
export class Browser {
  token: string | undefined;
  lastSetCookie: readonly string[] = [];
  constructor(
    readonly manager: SessionManager,
    readonly client: { ip?: string; userAgent?: string } = { ip: "203.0.113.7", userAgent: "Browser/1.0" },
  ) {}

  /** One request: load, run the handler, commit, apply Set-Cookie. */
  async request<T>(handler: (session: Session) => T | Promise<T> = () => undefined as T): Promise<T> {
    const name = this.manager.cookieName;
    const session = await this.manager.load({
      cookieHeader: this.token === undefined ? undefined : `${name}=${this.token}`,
      ...this.client,
    });
    const result = await handler(session);
    const { setCookie } = await this.manager.commit(session);
    this.lastSetCookie = setCookie;
    for (const header of setCookie) {
      const value = parse(header.split(";")[0] ?? "")[name];
      this.token = header.includes("Max-Age=0") || value === "" ? undefined : value;
    }
    return result;
  }

  /** Sends a fixed token regardless of what the server said (an attacker's replay). */
  withToken(token: string | undefined): Browser {
    const other = new Browser(this.manager, this.client);
    other.token = token;
    return other;
  }
}
