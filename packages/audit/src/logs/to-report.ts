import { cweNamesOf } from "../checks/lib/cwe-names.js";
import { formatDuration } from "../config/duration.js";
import {
  type CheckResult,
  type CheckStatus,
  countBySeverity,
  type Finding,
  type FindingArgs,
  type Report,
  type Rule,
  riskOf,
  SEVERITIES,
  type Timeline,
} from "../report/model.js";
import { VERSION } from "../version.js";
import type { LogAnalysis } from "./analyzer.js";
import { DETECTIONS } from "./detection-catalogue.js";
import { type Incident, type IncidentClient, isoSecond } from "./incident.js";
import { DETECTION_IDS, type DetectionId } from "./options.js";

/** Context of a `logs` run that the analysis itself does not hold. */
export interface LogReportContext {
  /** The files as given on the command line. */
  readonly files: readonly string[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The command that re-runs this analysis (verification section). */
  readonly verification: string;
}

/** Id of the row that summarises what was read (lines, formats, malformed lines). */
export const LOG_INPUT_RESULT = "log-input";

const GRADE_TEXT = {
  "network-and-agent": "both the network and the browser family differ",
  "network-only": "only the network differs (same browser family: a roaming device is the usual cause)",
  "agent-only": "only the browser family differs (same network: another app of the same user is the usual cause)",
} as const;

function clientText(c: IncidentClient): string {
  const parts = [c.ip ?? "unknown address"];
  if (c.network !== null && c.network !== c.ip) parts.push(`network ${c.network}`);
  if (c.family !== null) parts.push(`agent family ${c.family}`);
  return `${parts.join(", ")} (${c.role}, from ${isoSecond(c.firstSeen)}, ${c.ref.file}:${c.ref.line})`;
}

function windowText(i: Incident): string {
  return `${isoSecond(i.start)} – ${isoSecond(i.end)} (${formatDuration(i.end - i.start)})`;
}

function sessionText(i: Incident): string {
  if (i.session === null) return "";
  return /^[0-9a-f]{16}$/.test(i.session) ? `session sha256:${i.session}` : `session ${i.session} (public id)`;
}

function describe(i: Incident): string {
  const e = DETECTIONS[i.detection];
  const who = i.clients.find((c) => c.role === "source") ?? i.clients[0];
  const f = i.facts;
  let specific: string;
  switch (i.detection) {
    case "log-hijack": {
      const owner = i.clients.find((c) => c.role === "owner");
      const others = i.clients.filter((c) => c.role !== "owner");
      specific =
        `The ${sessionText(i)} was ${owner === undefined ? "flagged by the library's binding check" : `started by ${owner.ip} (${owner.family ?? "unknown agent"})`}` +
        ` and then used by ${others.map((c) => `${c.ip} (${c.family ?? "unknown agent"})`).join(", ") || "another client"}: ${GRADE_TEXT[i.grade ?? "network-and-agent"]}.` +
        (f.ownerReturned === 1
          ? " The original client kept using the session afterwards: two clients held it at once."
          : "");
      break;
    }
    case "log-guessing":
      specific = `${who?.ip ?? "One client"} presented ${f.distinctIds} distinct refused session ids within ${formatDuration(Number(f.windowMs))} (threshold ${f.threshold}); ${f.refusals} refused presentations in all.`;
      break;
    case "log-after-logout":
      specific = `The ${sessionText(i)} logged out at ${String(f.logoutAt).replace(/\.\d{3}Z$/, "Z")} and was answered successfully afterwards by ${i.clients.map((c) => c.ip).join(", ") || "a client"}.`;
      break;
    case "log-login-burst":
      specific =
        f.scope === "account"
          ? `${f.failures} failed logins against the account "${i.account}" from ${f.clients} clients within ${formatDuration(Number(f.windowMs))} (threshold ${f.threshold}).`
          : `${f.failures} failed logins from ${who?.ip ?? "one client"} within ${formatDuration(Number(f.windowMs))} (threshold ${f.threshold}).`;
      break;
    case "log-past-absolute":
      specific = `The ${sessionText(i)}${f.startedAs === undefined ? "" : ` (which started as ${f.startedAs} and was rotated since)`} was still answered ${formatDuration(Number(f.ageMs))} after it began; the absolute lifetime is ${formatDuration(Number(f.maxAbsoluteMs))}.`;
      break;
    case "log-unissued-id":
      specific = `The ${sessionText(i)} was accepted (event \`${f.event}\`) but never issued in the event log.`;
      break;
  }
  return `${specific} ${e.description}`;
}

function reproduce(i: Incident): string[] {
  const byFile = new Map<string, number[]>();
  for (const ev of i.evidence) {
    if (ev.file === "-") continue;
    const list = byFile.get(ev.file) ?? [];
    list.push(ev.line);
    byFile.set(ev.file, list);
  }
  const steps: string[] = [];
  for (const [file, lines] of byFile) {
    const quoted = /^[\w./-]+$/.test(file) ? file : `'${file.replace(/'/g, "'\\''")}'`;
    const reader = file.endsWith(".gz") ? `zcat ${quoted} | sed -n` : "sed -n";
    const script = `'${[...new Set(lines)].map((n) => `${n}p`).join(";")}'`;
    steps.push(file.endsWith(".gz") ? `${reader} ${script}` : `${reader} ${script} ${quoted}`);
  }
  return steps;
}

function finding(i: Incident, verification: string): Finding {
  const e = DETECTIONS[i.detection];
  const evidence = [
    `Time window: ${windowText(i)}`,
    ...(i.session === null ? [] : [`Session: ${sessionText(i).replace(/^session /, "")}`]),
    ...(i.account === null ? [] : [`Account: ${i.account}`]),
    ...i.clients.map((c) => `Client: ${clientText(c)}`),
    ...i.evidence.map((ev) => `${ev.file}:${ev.line} ${ev.text}`),
    ...(i.lines > i.evidence.length ? [`… ${i.lines - i.evidence.length} more lines of this incident`] : []),
  ];
  const title =
    i.detection === "log-hijack" && i.grade !== "network-and-agent"
      ? `Session moved to another client (${i.grade === "network-only" ? "network" : "browser family"} changed, weak signal)`
      : e.title;
  return {
    id: i.detection,
    code: `${i.detection}/${i.detection === "log-hijack" ? (i.grade ?? "network-and-agent") : (i.facts.scope ?? "incident")}`,
    args: incidentArgs(i),
    title,
    severity: i.severity,
    confidence: i.confidence,
    cwe: e.cwe,
    asvs: e.asvs,
    description: describe(i),
    impact: e.impact,
    likelihood: e.likelihood,
    evidence,
    reproduce: reproduce(i),
    recommendation: e.response.join(" "),
    fixes: [],
    verification,
    references: e.references,
    retest: RETEST,
    cweNames: cweNamesOf(e.cwe),
    timeline: timelineOf(i),
  };
}

/** The incident's clients and cited lines for the HTML timeline (the session only as its short hash). */
export function timelineOf(i: Incident): Timeline {
  return {
    start: new Date(i.start).toISOString(),
    end: new Date(i.end).toISOString(),
    lanes: i.clients.map((c) => ({
      label: `${c.ip ?? "?"} · ${c.family ?? "unknown agent"}`,
      role: c.role === "owner" ? "owner" : "other",
    })),
    points: i.evidence.map((ev) => ({
      lane: ev.client,
      at: new Date(ev.time).toISOString(),
      label: `${ev.file}:${ev.line}`,
    })),
  };
}

/** What a re-run shows once the incident is handled: the detection stays quiet on new logs. */
const RETEST = "the same detection raises nothing on the logs written after the response";

/** The incident as data: the session's short hash, the window and the figures behind it (no raw token). */
function incidentArgs(i: Incident): FindingArgs {
  return {
    ...i.facts,
    session: i.session,
    account: i.account,
    start: isoSecond(i.start),
    end: isoSecond(i.end),
    clients: i.clients.map((c) => c.ip ?? "unknown").join(","),
    lines: i.lines,
  };
}

/** The report's description of a detection (SARIF rule, result title). */
function rule(id: DetectionId): Rule {
  const e = DETECTIONS[id];
  return {
    id,
    title: e.title,
    severity: e.severity,
    cwe: e.cwe,
    asvs: e.asvs,
    description: e.description,
    recommendation: e.response.join(" "),
    fixes: [],
    references: e.references,
    retest: RETEST,
  };
}

function result(id: DetectionId, analysis: LogAnalysis): CheckResult {
  const incidents = analysis.incidents.filter((i) => i.detection === id);
  const raised = incidents.filter((i) => i.severity !== "info");
  const infos = incidents.length - raised.length;
  const events = analysis.files.reduce((n, f) => n + f.events, 0);
  let status: CheckStatus = raised.length > 0 ? "vulnerable" : "passed";
  let reason: string;
  if (id === "log-unissued-id" && events === 0) {
    status = "not-applicable";
    reason = "needs the sessionguard library's event log (JSON lines); none was read";
  } else if (raised.length > 0) {
    reason = `${raised.length} incident${raised.length === 1 ? "" : "s"} found`;
  } else {
    reason = "no incident in the lines read";
  }
  if (infos > 0 || (id === "log-hijack" && analysis.suppressed.weakHijack > 0)) {
    const more = id === "log-hijack" ? analysis.suppressed.weakHijack : 0;
    reason += `; ${infos + more} weak signal${infos + more === 1 ? "" : "s"} (info${more > 0 ? `, ${more} not listed` : ""})`;
  }
  return { id, status, reason };
}

function inputResult(analysis: LogAnalysis): CheckResult {
  const files = analysis.files.map((f) => {
    const parts = [
      `${f.file}: ${f.lines} lines as ${f.format ?? "unknown format"}`,
      `${f.requests} requests`,
      ...(f.events > 0 ? [`${f.events} library events`] : []),
      `${f.malformed} malformed${f.tooLong > 0 ? ` (${f.tooLong} too long)` : ""}`,
    ];
    return `${parts.join(", ")}${f.error === null ? "" : `; ${f.error}`}${f.note === null ? "" : `; ${f.note}`}`;
  });
  const window =
    analysis.firstTime === null || analysis.lastTime === null
      ? "no dated line"
      : `log time ${isoSecond(analysis.firstTime)} – ${isoSecond(analysis.lastTime)}`;
  const samples = analysis.malformedSamples.map((s) => `${s.file}:${s.line} «${s.text}»`);
  const reason = [
    `${files.join(". ")}.`,
    `${window}; session cookie ${analysis.cookieName ?? "not identified"}.`,
    ...(samples.length > 0 ? [`Malformed lines (redacted): ${samples.join(" ")}`] : []),
  ].join(" ");
  return { id: LOG_INPUT_RESULT, status: "passed", reason };
}

const SEVERITY_ORDER = (i: Incident): number => SEVERITIES.indexOf(i.severity);

/**
 * Converts a log analysis into the audit's report model (SPEC §2.4), so
 * `sessionguard logs` writes the same Markdown, HTML, JSON and SARIF as
 * `audit`: one finding per incident (the session as its short hash, the
 * clients, the time window, the `file:line` evidence, the recommended
 * response), one result per detection id, and a `log-input` result with what
 * was read and a few redacted malformed lines. Pure.
 */
export function logReport(analysis: LogAnalysis, context: LogReportContext): Report {
  const incidents = [...analysis.incidents].sort((a, b) => SEVERITY_ORDER(a) - SEVERITY_ORDER(b) || a.start - b.start);
  const findings = incidents.map((i) => finding(i, context.verification));
  return {
    tool: "sessionguard",
    version: VERSION,
    target: context.files.length === 0 ? "-" : context.files.join(", "),
    startedAt: context.startedAt.toISOString(),
    finishedAt: context.finishedAt.toISOString(),
    summary: { risk: riskOf(findings), counts: countBySeverity(findings) },
    results: [...DETECTION_IDS.map((id) => result(id, analysis)), inputResult(analysis)],
    findings,
    tokens: { samples: 0, bitsPerToken: 0, effectiveEntropyBits: 0, generator: null },
    verification: context.verification,
    rules: DETECTION_IDS.map(rule),
  };
}
