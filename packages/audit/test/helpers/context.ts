import type { AuditConfig } from "../../src/config/load.js";
import { resolveConfig } from "../../src/config/load.js";
import { Authenticator, type LoginResult } from "../../src/engine/auth.js";
import type { AuditContext, TokenStudy } from "../../src/engine/context.js";
import { discover } from "../../src/engine/discovery.js";
import { silentProgress } from "../../src/engine/progress.js";
import { Budget } from "../../src/http/budget.js";
import { HttpClient } from "../../src/http/client.js";

/** A context wired like `runAudit` wires it, plus what tests want to inspect. */
export interface TestAuditContext {
  readonly context: AuditContext;
  readonly config: AuditConfig;
  /** Every value registered with `context.secret()` (tokens, credentials the engine would redact). */
  readonly secrets: readonly string[];
  /** Closes the HTTP client's pooled connections. */
  close(): Promise<void>;
}

/** Options of {@link createTestContext}. */
export interface TestContextOptions {
  /** `--samples`. Default 200. */
  readonly samples?: number;
  /** Token study for `token-*` checks. Default: none (the target "issues no token"). */
  readonly tokens?: () => Promise<TokenStudy | null>;
}

/**
 * Builds an {@link AuditContext} for a raw configuration object exactly as
 * `runAudit` (src/engine/run.ts) does: validated config, budget, HTTP
 * client, authenticator, discovery, and a verified baseline login when the
 * config has one. For check tests against a local server; reusable by any
 * check's test.
 * @throws AuditError when discovery or the baseline login fails, as the engine would
 */
export async function createTestContext(raw: unknown, options: TestContextOptions = {}): Promise<TestAuditContext> {
  const config = resolveConfig(raw, undefined, "the test config");
  const budget = new Budget(config.budget);
  const http = new HttpClient(config.target, budget);
  const secrets: string[] = [];
  const secret = (value: string): void => {
    if (value !== "") secrets.push(value);
  };
  let sessionCookie: string | null = null;
  const auth = new Authenticator(config, http, () => sessionCookie, secret);
  try {
    const discovery = await discover(config, http, async () =>
      auth.configured ? (await auth.login()).response.allSetCookies : [],
    );
    sessionCookie = discovery.sessionCookie;
    const baseline: LoginResult | null = auth.configured ? await auth.loginVerified() : null;
    const context: AuditContext = {
      config,
      http,
      progress: silentProgress,
      discovery,
      auth,
      baseline,
      samples: options.samples ?? 200,
      secret,
      tokens: options.tokens ?? (async () => null),
    };
    return { context, config, secrets, close: () => http.close() };
  } catch (error) {
    await http.close();
    throw error;
  }
}
