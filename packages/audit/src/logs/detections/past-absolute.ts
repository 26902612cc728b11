import { acceptedSession, type Detection, type DetectionContext, type Observation } from "../context.js";
import { addClient, addEvidence, openIncident } from "../incident.js";

/**
 * `log-past-absolute` (SPEC §3): a session still answered more than
 * `pastAbsolute.maxAbsoluteMs` (+ `toleranceMs`) after it began. The start
 * is the library's `created` event when the log has it (kept across
 * rotations), else the session's first line in the log, so the age is never
 * overestimated. A session idle longer than `sessionIdleMs` is forgotten and
 * starts again (documented bound).
 */
export class PastAbsoluteDetection implements Detection {
  observe(o: Observation, ctx: DetectionContext): void {
    const s = acceptedSession(o);
    const e = o.entry;
    if (s === null) return;
    const { maxAbsoluteMs, toleranceMs } = ctx.options.pastAbsolute;
    const age = e.time - s.origin;
    if (age <= maxAbsoluteMs + toleranceMs) return;
    let incident = s.pastAbsolute;
    if (incident === null) {
      incident = openIncident("log-past-absolute", "medium", {
        session: ctx.label(s),
        account: e.user,
        start: s.origin,
        end: e.time,
        facts: {
          maxAbsoluteMs,
          ageMs: age,
          ...(s.originKey === s.key ? {} : { startedAs: s.originKey.slice(2) }),
        },
      });
      if (s.owner !== null) {
        incident.evidence.push({
          file: s.owner.file,
          line: s.owner.line,
          time: s.owner.time,
          text: `first use of the session: ${s.owner.ip} (agent family ${s.owner.family ?? "unknown"})`,
          client: addClient(incident, {
            ip: s.owner.ip,
            userAgent: null,
            network: s.owner.network,
            family: s.owner.family,
            role: "owner",
            firstSeen: s.owner.time,
            ref: { file: s.owner.file, line: s.owner.line },
          }),
        });
        incident.lines++;
      }
      s.pastAbsolute = incident;
      ctx.raise(incident);
    }
    incident.facts.ageMs = age;
    incident.account ??= e.user;
    const index = e.ip === null ? -1 : addClient(incident, ctx.client(e, "source", o.ref));
    addEvidence(incident, o.ref, e, ctx.describe(e, s), index);
  }
}
