import type { AuditConfig } from "../config/load.js";
import type { HttpClient } from "../http/client.js";
import type { TokenAnalysis } from "../tokens/index.js";
import type { SamplingResult } from "../tokens/sampler.js";
import type { Authenticator, LoginResult } from "./auth.js";
import type { Discovery } from "./discovery.js";
import type { Progress } from "./progress.js";

/** Token sampling and analysis, computed once per audit and shared by the `token-*` checks. */
export interface TokenStudy {
  readonly sampling: SamplingResult;
  readonly analysis: TokenAnalysis;
}

/** Everything a check may use. Checks never print and never write files. */
export interface AuditContext {
  readonly config: AuditConfig;
  readonly http: HttpClient;
  readonly progress: Progress;
  readonly discovery: Discovery;
  readonly auth: Authenticator;
  /** The first verified login of the audit (discovery), or `null` without a login config. */
  readonly baseline: LoginResult | null;
  /** Number of tokens to sample (`--samples`). */
  readonly samples: number;
  /** Registers a secret seen during the audit so every output redacts it. */
  secret(value: string): void;
  /** Token sampling and analysis (memoized); `null` when the target issues no session cookie. */
  tokens(): Promise<TokenStudy | null>;
}
