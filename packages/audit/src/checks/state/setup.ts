import type { LoginResult } from "../../engine/auth.js";
import type { AuditContext } from "../../engine/context.js";
import { type CheckOutcome, outcome } from "../types.js";
import { StateOracle } from "./oracle.js";

/** A fresh, verified login and an oracle for tampered copies of it. */
export interface StateSession {
  readonly login: LoginResult;
  readonly oracle: StateOracle;
}

/**
 * Logs in afresh for one state check (each check tampers with its own copy,
 * so a server that kills a session on a bad signature cannot spoil the next
 * check) and registers every cookie value as a secret so no output shows it.
 * @returns the outcome to return instead when the check cannot run
 */
export async function stateSession(context: AuditContext, what: string): Promise<StateSession | CheckOutcome> {
  if (context.baseline === null) {
    return outcome.skipped(
      `no "login" and "authCheck" in the config: ${what} needs the state an authenticated session carries`,
    );
  }
  const login = await context.auth.loginVerified();
  for (const cookie of login.jar.all()) context.secret(cookie.value);
  const oracle = new StateOracle(context, login);
  const base = await oracle.baseline();
  if (base.state !== "authenticated") {
    return outcome.inconclusive(
      `${context.config.authCheck?.url} did not confirm the fresh login a second time, so tampered state cannot be judged`,
    );
  }
  return { login, oracle };
}

/** True when `value` is an outcome rather than a session. */
export function isOutcome(value: StateSession | CheckOutcome): value is CheckOutcome {
  return "status" in value;
}

/** Names of the cookies of the logged-in jar, for placeholder `Cookie` headers. */
export function jarNames(session: StateSession): string[] {
  return session.login.jar.all().map((c) => c.name);
}
