import {
  ACCEPTING_EVENTS,
  type Detection,
  type DetectionContext,
  type Observation,
  REPLACING_EVENTS,
  type SessionState,
} from "../context.js";
import { addClient, addEvidence, openIncident } from "../incident.js";

/**
 * `log-unissued-id` (SPEC §3, library event logs only): the library accepted
 * a session id that its log never shows being issued (`created`,
 * `authenticated`, `rotated`). Armed only once the log covers
 * `pastAbsolute.maxAbsoluteMs`: before that, an accepted id may have been
 * issued before the log began. Event sessions are remembered for the
 * absolute lifetime, so a quiet but legitimate session is never mistaken
 * for an unissued one.
 */
export class UnissuedIdDetection implements Detection {
  observe(o: Observation, ctx: DetectionContext): void {
    const e = o.entry;
    if (e.kind !== "event" || e.event === undefined) return;
    let s: SessionState | null = null;
    let fresh = false;
    if (ACCEPTING_EVENTS.has(e.event.type)) {
      s = o.session;
      fresh = o.isNew;
    } else if (REPLACING_EVENTS.has(e.event.type)) {
      s = o.previous;
      fresh = o.previousIsNew;
    }
    if (s === null || s.issued) return;
    const armed =
      e.time - ctx.startTime > ctx.options.pastAbsolute.maxAbsoluteMs + ctx.options.pastAbsolute.toleranceMs;
    if (s.unissued === null) {
      if (!fresh || !armed) {
        // Seen before arming: it may predate the log; treat it as issued from now on.
        s.issued = true;
        return;
      }
      s.unissued = openIncident("log-unissued-id", "critical", {
        session: ctx.label(s),
        account: e.user,
        start: e.time,
        end: e.time,
        facts: { event: e.event.type },
      });
      ctx.raise(s.unissued);
    }
    const index = e.ip === null ? -1 : addClient(s.unissued, ctx.client(e, "source", o.ref));
    addEvidence(s.unissued, o.ref, e, ctx.describe(e, s), index);
  }
}
