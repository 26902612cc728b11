import { maskClaims, PROBE_USER, showClaims, tamperPlans } from "./state/claims.js";
import { findClientState, type StateCookie } from "./state/client-state.js";
import type { Trial } from "./state/oracle.js";
import { rebuild } from "./state/rebuild.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { type Check, type CheckOutcome, outcome } from "./types.js";

function protectionText(state: StateCookie): string {
  switch (state.protection.kind) {
    case "unsigned":
      return "unsigned";
    case "jwt":
      return `signed (JWT, ${state.protection.alg})`;
    case "hmac":
      return state.protection.scheme === "keygrip"
        ? `signed (companion cookie ${state.companion})`
        : `signed (${state.protection.scheme} HMAC)`;
  }
}

/**
 * `state-tampering` (SPEC §2.3): client-side session state was modified and
 * the server accepted it. Every cookie that decodes to JSON or a JWT naming a
 * user or a role is re-encoded in its own format with the identity set to a
 * probe user (then, separately, the role raised to admin), keeping whatever
 * signature it had, and sent to the `authCheck` URL. Only a response that is
 * authenticated *and* shows the probe identity or the raised role is a
 * finding; a signature that is simply carried over must make the server
 * refuse the value.
 */
export const stateTampering: Check = {
  id: "state-tampering",
  phase: "state",
  async run(context): Promise<CheckOutcome> {
    const session = await stateSession(context, "the tampering test");
    if (isOutcome(session)) return session;
    const states = findClientState(session.login.jar, context.discovery.sessionCookie);
    if (states.length === 0) {
      return outcome.notApplicable(
        "no readable client-side session state: no cookie of the logged-in session decodes to JSON or a JWT naming a user or a role",
      );
    }
    const names = jarNames(session);
    const tried: Array<{ state: StateCookie; trial: Trial }> = [];
    const untestable: string[] = [];
    for (const state of states) {
      const plans = tamperPlans(state.claims, state.fields);
      if (plans.length === 0) untestable.push(`${state.name} (no string identity or raisable role)`);
      for (const plan of plans) {
        const rebuilt = rebuild(state.chain, plan.claims, { signature: { mode: "keep" } });
        if (rebuilt === null) {
          untestable.push(`${state.name} (its format cannot be re-encoded)`);
          break;
        }
        const edit = { [state.name]: rebuilt.value };
        const trial = await session.oracle.trial(edit, plan, state.name);
        tried.push({ state, trial });
        if (trial.verdict !== "accepted") continue;
        const recipe = rebuild(state.chain, maskClaims(plan.claims), { signature: { mode: "keep" } }) ?? rebuilt;
        const signed = state.protection.kind !== "unsigned";
        const shows =
          plan.kind === "identity"
            ? `the page names the probe user ${PROBE_USER}`
            : "the raised role shows on the page";
        return outcome.vulnerable(
          `the ${state.name} cookie carries ${signed ? "signed" : "unsigned"} client-side state that the server trusts${signed ? " without verifying its signature" : ""}: after changing ${plan.summary}, ${context.config.authCheck?.url} still answered as an authenticated user and ${shows}`,
          {
            confidence: "confirmed",
            evidence: [
              `${state.name}${state.session ? " (the session cookie)" : ""}: ${describeChain(state.chain)}, ${protectionText(state)}`,
              `decoded claims: ${showClaims(state.claims)}`,
              `changed: ${plan.summary}${signed ? " (original signature kept)" : ""}`,
              requestLine(context, names, edit, trial.summary),
            ],
            reproduce: reproduceSteps(context, {
              rebuilt: recipe,
              names,
              edited: edit,
              keyed: false,
              expect: plan.kind === "identity" ? `the page shows ${PROBE_USER}` : "the page shows the admin role",
            }),
          },
        );
      }
    }
    if (tried.length === 0) {
      return outcome.inconclusive(`readable state was found but could not be modified: ${untestable.join(", ")}`);
    }
    const unknown = tried.filter((t) => t.trial.verdict === "unknown");
    if (unknown.length > 0) {
      return outcome.inconclusive(
        `the oracle could not tell whether modified ${[...new Set(unknown.map((t) => t.state.name))].join(", ")} values were accepted (${unknown[0]?.trial.summary})`,
        { evidence: tried.map((t) => `${t.state.name}: ${t.trial.summary}`) },
      );
    }
    const cookies = [...new Set(tried.map((t) => t.state.name))].join(", ");
    const how = tried.every((t) => t.trial.verdict === "rejected") ? "refused" : "refused or ignored";
    const allSigned = tried.every((t) => t.state.protection.kind !== "unsigned");
    return outcome.passed(
      allSigned
        ? `state is signed; tampering rejected: modified values of ${cookies} with the original signature were ${how} by ${context.config.authCheck?.url}`
        : `the server does not trust the readable state in ${cookies}: modified values were ${how} by ${context.config.authCheck?.url}`,
    );
  },
};
