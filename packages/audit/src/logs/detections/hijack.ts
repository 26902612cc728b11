import type { Detection, DetectionContext, Observation, SessionState } from "../context.js";
import { detach } from "../detach-string.js";
import { addClient, addEvidence, type HijackGrade, openIncident } from "../incident.js";

function grade(networkDiffers: boolean, agentDiffers: boolean): HijackGrade | null {
  if (networkDiffers && agentDiffers) return "network-and-agent";
  if (networkDiffers) return "network-only";
  if (agentDiffers) return "agent-only";
  return null;
}

/**
 * `log-hijack` (SPEC §3): one session used from two clients. The evidence is
 * graded against the session's first client: only a change of **both** the
 * network (/24, /64) and the user-agent family is raised as `high`; a phone
 * roaming to another network with the same browser, or another agent on the
 * same network, stays `info` (capped by `hijack.maxWeakFindings`). Refused
 * requests do not count: a replayed token that the server rejects is not a
 * hijacked session. Library `anomaly` events carry the same grading in their
 * `reason` (`ip-network`, `user-agent`).
 */
export class HijackDetection implements Detection {
  #weakRaised = 0;
  /** Weak signals not raised because of the cap. */
  weakSuppressed = 0;

  observe(o: Observation, ctx: DetectionContext): void {
    const s = o.session;
    if (s === null) return;
    const e = o.entry;
    if (e.kind === "event") {
      if (e.event?.type !== "anomaly") return;
      const reason = e.event.reason ?? "";
      const g = grade(reason.includes("ip-network"), reason.includes("user-agent"));
      if (g !== null) this.#signal(o, s, g, ctx, "other");
      return;
    }
    if (o.refused || e.ip === null) return;
    const owner = s.owner;
    if (owner === null) {
      s.owner = {
        ip: detach(e.ip),
        network: ctx.networkOf(e.ip),
        family: ctx.familyOf(e.userAgent),
        time: e.time,
        file: o.ref.file,
        line: o.ref.line,
      };
      return;
    }
    const family = ctx.familyOf(e.userAgent);
    if (e.ip === owner.ip && family === owner.family) {
      // The owner is back while another client holds the session: both use it at once.
      if (s.hijack?.open && s.hijack.grade === "network-and-agent") {
        s.hijack.facts.ownerReturned = 1;
        s.hijack.confidence = "firm";
        addEvidence(s.hijack, o.ref, e, ctx.describe(e, s), 0);
      }
      return;
    }
    const g = grade(ctx.networkOf(e.ip) !== owner.network, family !== owner.family);
    if (g !== null) this.#signal(o, s, g, ctx, "other");
  }

  #signal(o: Observation, s: SessionState, g: HijackGrade, ctx: DetectionContext, role: "other"): void {
    const e = o.entry;
    const strong = g === "network-and-agent";
    let incident = s.hijack;
    if (incident === null || !incident.open) {
      if (!strong) {
        if (!ctx.options.hijack.reportWeak) return;
        if (this.#weakRaised >= ctx.options.hijack.maxWeakFindings) {
          this.weakSuppressed++;
          return;
        }
        this.#weakRaised++;
      }
      incident = openIncident("log-hijack", strong ? "high" : "info", {
        confidence: "tentative",
        grade: g,
        session: ctx.label(s),
        account: e.user,
        start: e.time,
        end: e.time,
        facts: { grade: g },
      });
      s.hijack = incident;
      const owner = s.owner;
      if (owner !== null) {
        const index = addClient(incident, {
          ip: owner.ip,
          userAgent: null,
          network: owner.network,
          family: owner.family,
          role: "owner",
          firstSeen: owner.time,
          ref: { file: owner.file, line: owner.line },
        });
        incident.start = owner.time;
        incident.evidence.push({
          file: owner.file,
          line: owner.line,
          time: owner.time,
          text: `first use of the session by its owner: ${owner.ip} (agent family ${owner.family ?? "unknown"})`,
          client: index,
        });
        incident.lines++;
      }
      ctx.raise(incident);
    } else if (strong && incident.grade !== "network-and-agent") {
      // A weak signal became strong: the same incident, raised to high.
      incident.grade = g;
      incident.severity = "high";
      incident.facts.grade = g;
    }
    incident.account ??= e.user;
    const index = addClient(incident, ctx.client(e, role, o.ref));
    addEvidence(incident, o.ref, e, ctx.describe(e, s), index);
  }
}
