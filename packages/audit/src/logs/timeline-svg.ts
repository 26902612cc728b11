import type { Incident } from "./incident.js";
import { isoSecond } from "./incident.js";

const WIDTH = 720;
const ROW = 28;
const LEFT = 230;
const RIGHT = 20;
const TOP = 34;

function esc(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The incident's timeline for the HTML report: one row per client (the
 * session's owner first, in blue; other clients in red), a dot per evidence
 * line at its log time, the time window on the axis. Pure: returns a
 * self-contained SVG string (no script, no external reference); every text
 * is escaped, and the session appears only as its short hash.
 */
export function timelineSvg(incident: Incident): string {
  const rows = incident.clients.length > 0 ? incident.clients.length : 1;
  const height = TOP + rows * ROW + 34;
  const start = incident.start;
  const span = Math.max(1, incident.end - incident.start);
  const x = (t: number): number => LEFT + ((t - start) / span) * (WIDTH - LEFT - RIGHT);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(`Timeline of ${incident.detection}`)}">`,
    `<title>${esc(`${incident.detection}${incident.session === null ? "" : ` session ${incident.session}`}`)}</title>`,
    "<style>text{font:11px system-ui,sans-serif;fill:#1f2937}.axis{stroke:#9ca3af}.owner{fill:#2563eb}.other{fill:#dc2626}.none{fill:#6b7280}</style>",
    `<text x="8" y="16" style="font-weight:600">${esc(`${incident.detection} · ${incident.severity}${incident.session === null ? "" : ` · session ${incident.session}`}`)}</text>`,
  ];
  for (let r = 0; r < rows; r++) {
    const c = incident.clients[r];
    const y = TOP + r * ROW + ROW / 2;
    const label = c === undefined ? "(no client in the log)" : `${c.ip ?? "?"} · ${c.family ?? "unknown agent"}`;
    out.push(
      `<text x="8" y="${y + 4}">${esc(label.length > 38 ? `${label.slice(0, 37)}…` : label)}</text>`,
      `<line class="axis" x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke-dasharray="2 3"/>`,
    );
  }
  for (const ev of incident.evidence) {
    const row = ev.client >= 0 && ev.client < rows ? ev.client : 0;
    const role = incident.clients[row]?.role;
    const cls = ev.client < 0 ? "none" : role === "owner" ? "owner" : "other";
    const cx = x(ev.time).toFixed(1);
    const cy = TOP + row * ROW + ROW / 2;
    out.push(
      `<circle class="${cls}" cx="${cx}" cy="${cy}" r="5"><title>${esc(`${ev.file}:${ev.line} ${isoSecond(ev.time)}`)}</title></circle>`,
    );
  }
  const axisY = TOP + rows * ROW + 8;
  out.push(
    `<line class="axis" x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}"/>`,
    `<text x="${LEFT}" y="${axisY + 16}">${esc(isoSecond(incident.start))}</text>`,
    `<text x="${WIDTH - RIGHT}" y="${axisY + 16}" text-anchor="end">${esc(isoSecond(incident.end))}</text>`,
    "</svg>",
  );
  return out.join("");
}
