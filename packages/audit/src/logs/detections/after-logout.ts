import { acceptedSession, type Detection, type DetectionContext, type Observation } from "../context.js";
import { addClient, addEvidence, openIncident } from "../incident.js";

/**
 * `log-after-logout` (SPEC §3): a session keeps being answered as
 * authenticated after its logout. Access logs: a request to
 * `afterLogout.logoutPath` answered 2xx/3xx marks the logout; a later
 * request with the same token answered 2xx on a path outside
 * `afterLogout.ignorePaths` (pages that answer anyone) after
 * `afterLogout.graceMs` (requests already in flight) is the incident.
 * Library events: any acceptance of the id after its `logout` event.
 */
export class AfterLogoutDetection implements Detection {
  observe(o: Observation, ctx: DetectionContext): void {
    const e = o.entry;
    const opts = ctx.options.afterLogout;
    if (e.kind === "event") {
      if (e.event?.type === "logout" && o.session !== null && o.session.loggedOut === null) {
        o.session.loggedOut = { time: e.time, ref: o.ref };
        return;
      }
    } else if (o.session !== null && e.path !== null && e.status !== null) {
      if (o.session.loggedOut === null) {
        if (e.status < 400 && opts.logoutPath.test(e.path)) o.session.loggedOut = { time: e.time, ref: o.ref };
        return;
      }
      if (e.status < 200 || e.status > 299 || opts.ignorePaths.test(e.path) || opts.logoutPath.test(e.path)) return;
    }
    const s = acceptedSession(o);
    if (s === null || s.loggedOut === null || e.time - s.loggedOut.time <= opts.graceMs) return;
    let incident = s.afterLogout;
    if (incident === null) {
      incident = openIncident("log-after-logout", "high", {
        session: ctx.label(s),
        account: e.user,
        start: s.loggedOut.time,
        end: e.time,
        lines: 1,
        facts: { graceMs: opts.graceMs, logoutAt: new Date(s.loggedOut.time).toISOString() },
      });
      incident.evidence.push({
        file: s.loggedOut.ref.file,
        line: s.loggedOut.ref.line,
        time: s.loggedOut.time,
        text: "the session's logout",
        client: -1,
      });
      s.afterLogout = incident;
      ctx.raise(incident);
    }
    incident.account ??= e.user;
    const index = e.ip === null ? -1 : addClient(incident, ctx.client(e, "source", o.ref));
    addEvidence(incident, o.ref, e, ctx.describe(e, s), index);
  }
}
