import { UserRegex } from "../../config/user-regex.js";
import type { AuthState, LoginResult } from "../../engine/auth.js";
import type { AuditContext } from "../../engine/context.js";
import { visibleText } from "../../engine/html-form.js";
import type { HttpResponse } from "../../http/client.js";
import type { CookieJar } from "../../http/cookie-jar.js";
import { escapeRegExp } from "../../lib/escape-regexp.js";
import { PROBE_USER, type TamperPlan } from "./claims.js";

/**
 * What the server did with modified state:
 * - `accepted` — authenticated, and the response shows the change (the probe identity, a raised privilege), or
 *   the modified cookie alone carries the session and still authenticates;
 * - `ignored` — authenticated, but nothing shows that the modified value was used;
 * - `rejected` — anonymous (401/403, login redirect, logged-out page);
 * - `unknown` — the oracle could not decide.
 */
export type Verdict = "accepted" | "ignored" | "rejected" | "unknown";

/** One tampered request and what came back. */
export interface Trial {
  readonly verdict: Verdict;
  readonly state: AuthState;
  readonly response: HttpResponse;
  /** A short, token-free description of the response for evidence. */
  readonly summary: string;
}

/** Cookie values to put into a copy of the logged-in jar (name → value). */
export type CookieEdit = Readonly<Record<string, string>>;

function countAdmin(text: string): number {
  return text.match(/admin/gi)?.length ?? 0;
}

/** Up to 120 characters of visible text around `needle` (or the start), for evidence. */
export function excerpt(body: string, needle: string | null): string {
  const text = visibleText(body);
  const at = needle === null ? -1 : text.toLowerCase().indexOf(needle.toLowerCase());
  const start = Math.max(0, at < 0 ? 0 : at - 50);
  const cut = text.slice(start, start + 120);
  return `${start > 0 ? "…" : ""}${cut}${start + 120 < text.length ? "…" : ""}`;
}

/**
 * Sends modified client-side state to the `authCheck` URL from a copy of a
 * logged-in browser and judges the response. The oracle's `loggedIn` pattern
 * often names the audited user ("Welcome, alice"); when an identity was
 * changed, the pattern is rewritten with the new identity so that a page
 * greeting the probe user counts as authenticated — and a page that merely
 * echoes the probe in an error does not.
 */
export class StateOracle {
  readonly #context: AuditContext;
  readonly #login: LoginResult;
  #baseline: Promise<{ state: AuthState; response: HttpResponse }> | undefined;
  readonly #without = new Map<string, Promise<AuthState>>();

  constructor(context: AuditContext, login: LoginResult) {
    this.#context = context;
    this.#login = login;
  }

  /** The logged-in jar (read-only use: every trial works on a copy). */
  get jar(): CookieJar {
    return this.#login.jar;
  }

  /** The untampered oracle response (memoized). */
  baseline(): Promise<{ state: AuthState; response: HttpResponse }> {
    this.#baseline ??= this.#context.auth.probe(this.#login.jar.clone());
    return this.#baseline;
  }

  /**
   * Whether the session survives without `cookie` (memoized): `anonymous`
   * means the cookie carries the authentication, so an untampered-claims
   * forgery that still authenticates proves the forgery was accepted.
   */
  without(cookie: string): Promise<AuthState> {
    let known = this.#without.get(cookie);
    if (known === undefined) {
      const jar = this.#login.jar.clone();
      jar.delete(cookie);
      jar.delete(`${cookie}.sig`);
      known = this.#context.auth.state(jar);
      this.#without.set(cookie, known);
    }
    return known;
  }

  /**
   * Sends the edited cookies and judges the response against `plan` (or,
   * without a plan, against whether `carrier` alone carries the session).
   */
  async trial(edit: CookieEdit, plan: TamperPlan | null, carrier: string): Promise<Trial> {
    const jar = this.#login.jar.clone();
    for (const [name, value] of Object.entries(edit)) {
      this.#context.secret(value);
      jar.set(name, value);
    }
    const url = this.#context.config.authCheck?.url ?? "/";
    const response = await this.#context.http.send({ url, jar });
    const state = this.#state(response, plan);
    const base = await this.baseline();
    let verdict: Verdict;
    let shown: string | null = null;
    if (state === "anonymous") verdict = "rejected";
    else if (state === "unknown") verdict = "unknown";
    else if (plan?.kind === "identity") {
      verdict = response.body.includes(PROBE_USER) ? "accepted" : "ignored";
      shown = PROBE_USER;
    } else if (plan?.kind === "privilege") {
      verdict = countAdmin(response.body) > countAdmin(base.response.body) ? "accepted" : "ignored";
      shown = "admin";
    } else {
      verdict = (await this.without(carrier)) === "anonymous" ? "accepted" : "ignored";
    }
    const summary = `${response.status}, ${state}${verdict === "accepted" && shown !== null ? `, the page shows "${excerpt(response.body, shown)}"` : ""}`;
    return { verdict, state, response, summary };
  }

  #state(response: HttpResponse, plan: TamperPlan | null): AuthState {
    const check = this.#context.config.authCheck;
    if (check !== undefined && plan !== null && plan.renamed.length > 0 && response.status < 300) {
      let source = check.loggedIn;
      let changed = false;
      for (const [from, to] of plan.renamed) {
        for (const form of new Set([from, escapeRegExp(from)])) {
          if (form.length >= 2 && source.includes(form)) {
            source = source.split(form).join(escapeRegExp(to));
            changed = true;
          }
        }
      }
      if (changed) {
        try {
          if (UserRegex.compile(source).test(response.body)) return "authenticated";
        } catch {
          // The rewritten pattern is invalid (a name split an escape): fall back to the configured oracle.
        }
      }
    }
    return this.#context.auth.classify(response);
  }
}
