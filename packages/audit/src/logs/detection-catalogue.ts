import type { CatalogueEntry } from "../checks/types.js";
import type { DetectionId } from "./options.js";

/**
 * The fixed prose and metadata of one log detection: the fields of an audit
 * check's catalogue entry that a log incident uses, plus the response.
 */
export interface DetectionEntry
  extends Pick<
    CatalogueEntry,
    "title" | "severity" | "cwe" | "asvs" | "description" | "impact" | "likelihood" | "references"
  > {
  /** The recommended response, in order: contain, then fix. */
  readonly response: readonly string[];
}

const CS_SESSION = "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html";
const CS_LOGGING = "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html";
const CS_AUTH = "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html";
const cwe = (n: number): string => `https://cwe.mitre.org/data/definitions/${n}.html`;

/** One entry per detection id of SPEC §3. */
export const DETECTIONS: Readonly<Record<DetectionId, DetectionEntry>> = {
  "log-hijack": {
    title: "Session used from two different clients",
    severity: "high",
    cwe: [294, 384],
    asvs: ["7.5.1", "7.2.4"],
    description:
      "One session token was presented by a second client whose network and browser family both differ from the client that started the session. A legitimate user keeps one browser per session; a stolen cookie (malware, XSS, a leaked log or proxy) is replayed from the thief's machine.",
    impact:
      "The second client acts as the victim with the victim's privileges for as long as the session lives: reading personal data, changing settings, placing orders.",
    likelihood:
      "Graded evidence: both the /24 or /64 network and the user-agent family changed within the session's lifetime. Roaming phones (same browser) and other apps on the same network stay informational.",
    response: [
      "Revoke the session now (sessionguard: `manager.revokeSession(userId, sessionId)`; elsewhere delete it from the session store).",
      "Block or rate-limit the foreign client's address while investigating.",
      "Tell the user, review what the session did after the change of client, and look for the theft (XSS, malware, logs or proxies that store cookies).",
      "Bind sessions to the client (sessionguard `binding: { userAgent: true, ipNetwork: true, action: 'revoke' }`) and keep cookies `HttpOnly` and `Secure`.",
    ],
    references: [cwe(294), CS_SESSION, CS_LOGGING],
  },
  "log-guessing": {
    title: "Session id guessing from one client",
    severity: "high",
    cwe: [307, 331],
    asvs: ["7.2.3", "2.4.1"],
    description:
      "One client presented many distinct session ids that the server refused, within a short window. Browsers present the one cookie they were given; a client cycling through ids is brute-forcing or replaying a list of tokens.",
    impact:
      "If the ids are guessable (short, sequential, time-based) the client eventually lands on a live session and takes it over; even with strong ids the traffic is an attack in progress.",
    likelihood:
      "Counted per client address, only ids the server refused and had never accepted before, so users of one NAT whose sessions expire do not add up.",
    response: [
      "Block or throttle the client address (WAF, fail2ban, the library's guess guard).",
      "Check the token analysis of the application (`sessionguard tokens` or `sessionguard audit`): ids must carry at least 64 bits of entropy.",
      "If any of the presented ids was accepted, revoke those sessions.",
    ],
    references: [cwe(307), cwe(331), CS_SESSION],
  },
  "log-after-logout": {
    title: "Session still accepted after logout",
    severity: "high",
    cwe: [613],
    asvs: ["7.4.1"],
    description:
      "After the session's logout, requests with the same token were answered successfully on pages that need a session. Logout must destroy the session on the server; clearing the cookie in one browser does not stop a copy of it.",
    impact:
      "Anyone holding a copy of the token (shared computer, stolen cookie, proxy log) keeps the user's access although the user logged out.",
    likelihood:
      "Requests in flight when the user logs out are tolerated for the grace period; pages that answer anyone (home, login, static assets) do not count.",
    response: [
      "Revoke the session server-side and check that logout deletes it from the store (sessionguard does: `session.logout()`).",
      "Block the client that used the token after the logout if it is not the user's.",
      "Re-test with `sessionguard audit` (check `logout-invalidation`).",
    ],
    references: [cwe(613), CS_SESSION],
  },
  "log-login-burst": {
    title: "Burst of failed logins",
    severity: "medium",
    cwe: [307],
    asvs: ["2.4.1", "6.3.1"],
    description:
      "Many logins failed in a short window, from one client (password guessing or credential stuffing) or against one account from several clients (a distributed attack on one user).",
    impact:
      "A successful guess gives the attacker an authenticated session; the burst may also lock out legitimate users.",
    likelihood: "Counted from failed login responses (status in `loginBurst.failureStatuses`) on the login path.",
    response: [
      "Throttle or block the client; for an account under attack, require a second factor or a CAPTCHA and notify the owner.",
      "Check whether any login from the same client succeeded afterwards and revoke that session if so.",
    ],
    references: [cwe(307), CS_AUTH],
  },
  "log-past-absolute": {
    title: "Session active beyond the absolute lifetime",
    severity: "medium",
    cwe: [613],
    asvs: ["7.3.2"],
    description:
      "A session kept being answered successfully for longer than the configured absolute lifetime (`policy.maxAbsolute`). The absolute timeout must end every session regardless of activity.",
    impact: "A stolen token stays usable indefinitely as long as it is used regularly.",
    likelihood:
      "The age is measured from the session's first line in the log (or its `created` event), so it is never overestimated.",
    response: [
      "Revoke the session and enforce an absolute timeout server-side (sessionguard `absoluteTimeout`, default 12 h).",
      "Re-test with `sessionguard audit` (check `absolute-timeout`).",
    ],
    references: [cwe(613), CS_SESSION],
  },
  "log-unissued-id": {
    title: "Session id accepted that the server never issued",
    severity: "critical",
    cwe: [384],
    asvs: ["7.2.3", "7.2.4"],
    description:
      "The library's event log shows a session id being accepted although the log, which covers more than the absolute session lifetime, never shows it being issued. Either the store was written to directly, a forged or adopted id was accepted, or events are being lost.",
    impact:
      "Whoever controls that id controls a session the application never created: session fixation, a compromised store, or a forged token.",
    likelihood:
      "Only armed once the event log covers the absolute lifetime, so sessions that predate the log are not reported.",
    response: [
      "Revoke the session and every session of the same user.",
      "Inspect the session store for records written outside the application; rotate the store credentials and the key ring (`keys: [newKey, ...old]`).",
      "Check that the event logger is attached to every instance (lost events look the same).",
    ],
    references: [cwe(384), CS_SESSION, CS_LOGGING],
  },
};
