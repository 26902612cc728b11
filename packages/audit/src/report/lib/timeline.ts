import type { Timeline } from "../model.js";
import { escapeHtml } from "./html-template.js";

const WIDTH = 720;
const ROW = 28;
const LEFT = 230;
const RIGHT = 20;
const TOP = 34;

const isoSecond = (iso: string): string => iso.replace(/\.\d{3}Z$/, "Z");

/**
 * An incident's timeline for the HTML report: one row per client (the
 * session's owner in blue, other clients in red), a dot per cited log line at
 * its log time, the window on the axis. Pure: a self-contained SVG string (no
 * script, no external reference) in which every text is escaped.
 *
 * @param title - the heading drawn above the rows (detection, severity, the session's short hash)
 */
export function timelineChart(timeline: Timeline, title: string): string {
  const rows = Math.max(1, timeline.lanes.length);
  const height = TOP + rows * ROW + 34;
  const start = Date.parse(timeline.start);
  const span = Math.max(1, Date.parse(timeline.end) - start);
  const x = (iso: string): number => LEFT + ((Date.parse(iso) - start) / span) * (WIDTH - LEFT - RIGHT);
  const out: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(`Timeline: ${title}`)}">`,
    `<title>${escapeHtml(title)}</title>`,
    "<style>text{font:11px system-ui,sans-serif;fill:#1f2937}.axis{stroke:#9ca3af}.owner{fill:#2563eb}.other{fill:#dc2626}.none{fill:#6b7280}</style>",
    `<text x="8" y="16" style="font-weight:600">${escapeHtml(title)}</text>`,
  ];
  for (let r = 0; r < rows; r++) {
    const lane = timeline.lanes[r];
    const y = TOP + r * ROW + ROW / 2;
    const label = lane?.label ?? "(no client in the log)";
    out.push(
      `<text x="8" y="${y + 4}">${escapeHtml(label.length > 38 ? `${label.slice(0, 37)}…` : label)}</text>`,
      `<line class="axis" x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke-dasharray="2 3"/>`,
    );
  }
  for (const point of timeline.points) {
    const row = point.lane >= 0 && point.lane < rows ? point.lane : 0;
    const cls = point.lane < 0 ? "none" : (timeline.lanes[row]?.role ?? "other");
    const cy = TOP + row * ROW + ROW / 2;
    out.push(
      `<circle class="${cls}" cx="${x(point.at).toFixed(1)}" cy="${cy}" r="5"><title>${escapeHtml(`${point.label} ${isoSecond(point.at)}`)}</title></circle>`,
    );
  }
  const axisY = TOP + rows * ROW + 8;
  out.push(
    `<line class="axis" x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}"/>`,
    `<text x="${LEFT}" y="${axisY + 16}">${escapeHtml(isoSecond(timeline.start))}</text>`,
    `<text x="${WIDTH - RIGHT}" y="${axisY + 16}" text-anchor="end">${escapeHtml(isoSecond(timeline.end))}</text>`,
    "</svg>",
  );
  return out.join("");
}
