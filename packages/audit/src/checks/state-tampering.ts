import { fix, sessionguardFix } from "./lib/fixes.js";
import { ASVS_V7, ASVS_V9, refs, WSTG_SCHEMA } from "./lib/references.js";
import { maskClaims, PROBE_USER, showClaims, tamperPlans } from "./state/claims.js";
import { findClientState, type StateCookie } from "./state/client-state.js";
import type { Trial } from "./state/oracle.js";
import { rebuild } from "./state/rebuild.js";
import { describeChain, reproduceSteps, requestLine } from "./state/report.js";
import { isOutcome, jarNames, stateSession } from "./state/setup.js";
import { type CheckOutcome, defineCheck, outcome } from "./types.js";

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
export const stateTampering = defineCheck({
  id: "state-tampering",
  phase: "state",
  catalogue: {
    title: "Client-side session state can be tampered with",
    severity: "critical",
    cwe: [565, 602],
    asvs: ["9.1.1", "7.2.1"],
    description:
      "Session state kept on the client (a role, a user id, a flag in a cookie or token) was modified by the auditor and the server accepted the modified value. The server trusts data it handed to the client without verifying a signature or MAC, or without checking it at all.",
    impact:
      "Any user can change their identity or privileges by editing a cookie: become an administrator, switch to another user's account, or bypass business rules. This is a direct privilege escalation and account takeover that needs no stolen credentials.",
    likelihood:
      "Exploitation requires only a browser's developer tools or an intercepting proxy and is easy to discover by inspecting cookies, so the likelihood is very high for any authenticated — or even anonymous — user.",
    recommendation:
      "Keep authorisation-relevant state (user id, roles, flags) on the server and look it up from an opaque session id. Where state must travel with the client, sign it with a server-held key (HMAC-SHA-256 or a properly verified JWT) and reject any value whose signature does not verify.",
    fixes: [
      fix(
        "express-session",
        `
// Before: if (req.cookies.role === "admin") { ... }   — the client decides its own role
// After: the role lives in the server-side session, set only after authorisation
app.post("/login", (req, res, next) => {
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.userId = user.id;
    req.session.role = user.role; // from the database, never from the request
    res.redirect("/account");
  });
});
const isAdmin = (req) => req.session.role === "admin";`,
      ),
      fix(
        "php",
        `
// Before: if ($_COOKIE['role'] === 'admin') { ... }
// After: keep the role in $_SESSION (server-side) ...
$_SESSION['role'] = $user['role'];
// ... or, if a value must live in a cookie, authenticate it and compare in constant time:
$mac = hash_hmac('sha256', $value, $serverKey);
setcookie('prefs', $value . '.' . $mac, ['secure' => true, 'httponly' => true, 'samesite' => 'Lax']);
[$v, $m] = explode('.', $_COOKIE['prefs'] ?? '.', 2);
if (!hash_equals(hash_hmac('sha256', $v, $serverKey), $m)) { /* reject */ }`,
      ),
      sessionguardFix(`
app.post("/login", async (req, res) => {
  const user = await authenticate(req.body.username, req.body.password);
  if (!user) return res.status(401).send("Invalid credentials");
  await req.session.login(user.id);
  // Session data is encrypted and authenticated (AES-256-GCM, bound to the session) and never sent
  // to the client; a modified cookie is just an unknown token and yields an anonymous request.
  req.session["role"] = user.role; // from the database, never from the request
  res.redirect("/account");
});`),
    ],
    references: refs([565, 602], ASVS_V9, ASVS_V7, WSTG_SCHEMA),
    retest: "`state-tampering` passes: modified client-side values are rejected and grant nothing.",
    headline: "users can change their own identity or privileges by editing a cookie",
    action: "keeping authorisation state on the server or verifying its signature",
  },
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
            variant: `${plan.kind}-${signed ? "signature-ignored" : "unsigned"}`,
            args: { cookie: state.name, signed, changed: plan.summary },
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
});
