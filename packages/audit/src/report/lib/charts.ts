/**
 * Token-analysis charts as inline SVG strings: no script, no external
 * resource, so they render under the report's `default-src 'none'` CSP and
 * print like the text around them.
 */
import { escapeHtml as esc } from "./html-template.js";
import { formatNumber } from "./text.js";
import { displayChar, type EntropyBar } from "./tokens.js";

const WIDTH = 760;
const AXIS = "#64748b";
const GRID = "#e2e8f0";
const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"`;
// A white outline keeps labels readable where they cross reference lines.
const HALO = `paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"`;

function svgOpen(id: string, width: number, height: number, title: string, desc: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc" ${FONT} font-size="11" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>`
  );
}

function num(n: number): string {
  return formatNumber(n, 2);
}

// Axis maxima on round values so tick labels stay readable.
function niceCeil(x: number, steps: readonly number[]): number {
  for (const s of steps) if (x <= s) return s;
  return steps[steps.length - 1] ?? x;
}

function labelStep(count: number, maxLabels: number): number {
  let step = 1;
  while (count / step > maxLabels) step *= 2;
  return step;
}

/** Bar chart of |P(1) − 0.5| per analysed bit, with the random-noise bound as a dashed line. */
export function bitBiasChart(values: readonly number[], bound: number, id = "chart-bias"): string {
  const m = { l: 56, r: 16, t: 28, b: 44 };
  const height = 270;
  const pw = WIDTH - m.l - m.r;
  const ph = height - m.t - m.b;
  const peak = Math.max(0, ...values, Number.isFinite(bound) ? bound : 0);
  const yMax = niceCeil(peak * 1.15, [0.02, 0.05, 0.1, 0.2, 0.25, 0.5]);
  const y = (v: number): number => m.t + ph - (Math.min(v, yMax) / yMax) * ph;
  const slot = pw / Math.max(values.length, 1);
  const gap = slot > 4 ? 1 : 0;
  const above = values.filter((v) => v > bound).length;
  const parts = [
    svgOpen(
      id,
      WIDTH,
      height,
      "Bit bias per analysed bit position",
      `${values.length} bars; ${above} exceed the random-noise bound of ${Number.isFinite(bound) ? num(bound) : "n/a"}.`,
    ),
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    parts.push(
      `<line x1="${m.l}" x2="${WIDTH - m.r}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="${GRID}"/>`,
      `<text x="${m.l - 6}" y="${num(y(v) + 4)}" text-anchor="end" fill="${AXIS}">${formatNumber(v, 3)}</text>`,
    );
  }
  values.forEach((v, i) => {
    const x = m.l + i * slot;
    const hot = v > bound;
    parts.push(
      `<rect class="bar${hot ? " hot" : ""}" x="${num(x + gap / 2)}" y="${num(y(v))}" width="${num(Math.max(slot - gap, 0.5))}" ` +
        `height="${num(Math.max(m.t + ph - y(v), 0))}" fill="${hot ? "#dc2626" : "#2563eb"}">` +
        `<title>bit ${i}: bias ${formatNumber(v, 4)}${hot ? " (above the noise bound)" : ""}</title></rect>`,
    );
  });
  const step = labelStep(values.length, 16);
  for (let i = 0; i < values.length; i += step) {
    parts.push(
      `<text x="${num(m.l + (i + 0.5) * slot)}" y="${m.t + ph + 16}" text-anchor="middle" fill="${AXIS}">${i}</text>`,
    );
  }
  if (Number.isFinite(bound) && bound <= yMax) {
    parts.push(
      `<line class="bound" x1="${m.l}" x2="${WIDTH - m.r}" y1="${num(y(bound))}" y2="${num(y(bound))}" stroke="#b91c1c" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${WIDTH - m.r}" y="${num(y(bound) - 5)}" text-anchor="end" fill="#b91c1c" ${HALO}>random-noise bound ${formatNumber(bound, 3)} (α = 0.1 %)</text>`,
    );
  }
  parts.push(
    `<line x1="${m.l}" x2="${WIDTH - m.r}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="${AXIS}"/>`,
    `<text x="${m.l + pw / 2}" y="${height - 8}" text-anchor="middle" fill="${AXIS}">analysed bit position</text>`,
    `<text transform="translate(14 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="${AXIS}">|P(1) − 0.5|</text>`,
    "</svg>",
  );
  return parts.join("");
}

// White-to-navy ramp; the exponent lifts small shares so a near-uniform column is still visible.
function heat(v: number): string {
  const t = Math.min(Math.max(v, 0), 1) ** 0.7;
  const mix = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return `rgb(${mix(241, 30)},${mix(245, 58)},${mix(251, 138)})`;
}

const MAX_ROWS = 96;
const MAX_COLUMNS = 160;

/** Heat map of character shares: one column per analysed position, one row per character seen. */
export function charHeatmap(columns: ReadonlyArray<Readonly<Record<string, number>>>, id = "chart-chars"): string {
  const totals = new Map<string, number>();
  for (const col of columns) for (const [c, n] of Object.entries(col)) totals.set(c, (totals.get(c) ?? 0) + n);
  // Beyond a screenful of rows the map stops being readable; keep the most frequent characters.
  const alphabet = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_ROWS)
    .map(([c]) => c)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cols = columns.slice(0, MAX_COLUMNS);
  const truncated = totals.size > alphabet.length || columns.length > cols.length;
  const cellW = Math.min(56, Math.max(4, (WIDTH - 60) / Math.max(cols.length, 1)));
  const cellH = alphabet.length <= 24 ? 14 : alphabet.length <= 64 ? 9 : 6;
  const m = { l: 44, r: 16, t: 12, b: 76 };
  const width = Math.max(620, Math.ceil(m.l + cellW * cols.length + m.r));
  const height = m.t + cellH * alphabet.length + m.b;
  const shares = cols.map((col) => {
    const total = Object.values(col).reduce((a, b) => a + b, 0);
    return { col, total };
  });
  let vmax = 0;
  for (const { col, total } of shares)
    for (const n of Object.values(col)) if (total > 0) vmax = Math.max(vmax, n / total);
  const parts = [
    svgOpen(
      id,
      width,
      height,
      "Character distribution per analysed position",
      `${cols.length} positions by ${alphabet.length} characters; darker cells are more frequent.${truncated ? " Truncated to fit." : ""}`,
    ),
    `<rect x="${m.l}" y="${m.t}" width="${num(cellW * cols.length)}" height="${cellH * alphabet.length}" fill="#f8fafc" stroke="${GRID}"/>`,
  ];
  const row = new Map(alphabet.map((c, i) => [c, i]));
  shares.forEach(({ col, total }, p) => {
    for (const [c, n] of Object.entries(col)) {
      const r = row.get(c);
      if (r === undefined || n <= 0 || total <= 0) continue;
      const share = n / total;
      parts.push(
        `<rect class="cell" x="${num(m.l + p * cellW)}" y="${m.t + r * cellH}" width="${num(cellW)}" height="${cellH}" fill="${heat(vmax > 0 ? share / vmax : 0)}">` +
          `<title>position ${p}, "${esc(displayChar(c))}": ${n} of ${total} (${formatNumber(share * 100, 1)} %)</title></rect>`,
      );
    }
  });
  const rowStep = cellH >= 9 ? 1 : 4;
  alphabet.forEach((c, r) => {
    if (r % rowStep !== 0) return;
    parts.push(
      `<text x="${m.l - 6}" y="${num(m.t + r * cellH + cellH * 0.75)}" text-anchor="end" fill="${AXIS}" font-size="${cellH >= 9 ? 10 : 8}" font-family="ui-monospace, monospace">${esc(displayChar(c))}</text>`,
    );
  });
  const colStep = labelStep(cols.length, Math.floor((width - m.l) / 28));
  for (let p = 0; p < cols.length; p += colStep) {
    parts.push(
      `<text x="${num(m.l + (p + 0.5) * cellW)}" y="${m.t + cellH * alphabet.length + 14}" text-anchor="middle" fill="${AXIS}">${p}</text>`,
    );
  }
  const legendY = height - 30;
  parts.push(
    `<text x="${m.l}" y="${m.t + cellH * alphabet.length + 30}" fill="${AXIS}">analysed character position</text>`,
  );
  for (let k = 0; k <= 5; k++) {
    parts.push(
      `<rect x="${m.l + k * 34}" y="${legendY}" width="34" height="10" fill="${heat(k / 5)}" stroke="${GRID}"/>`,
    );
  }
  const uniform = alphabet.length > 0 ? 100 / alphabet.length : 0;
  parts.push(
    `<text x="${m.l}" y="${legendY + 24}" fill="${AXIS}">0 %</text>`,
    `<text x="${m.l + 6 * 34}" y="${legendY + 24}" text-anchor="end" fill="${AXIS}">${formatNumber(vmax * 100, 1)} %</text>`,
    `<text x="${m.l + 6 * 34 + 16}" y="${legendY + 9}" fill="${AXIS}">share of samples per position (uniform: ${formatNumber(uniform, 1)} %)${truncated ? " — truncated" : ""}</text>`,
    "</svg>",
  );
  return parts.join("");
}

/** Horizontal bars of entropy figures in bits, with the policy floor and the 128-bit ASVS line. */
export function entropyChart(bars: readonly EntropyBar[], floor: number, id = "chart-entropy"): string {
  const barH = 22;
  const gap = 10;
  const m = { l: 200, r: 84, t: 44, b: 40 };
  const height = m.t + bars.length * (barH + gap) + m.b;
  const pw = WIDTH - m.l - m.r;
  const peak = Math.max(floor, 128, ...bars.map((b) => b.bits));
  const xMax = Math.ceil((peak * 1.05) / 32) * 32;
  const x = (v: number): number => m.l + (Math.max(0, Math.min(v, xMax)) / xMax) * pw;
  const below = bars.filter((b) => b.kind !== "raw" && b.belowFloor).length;
  const parts = [
    svgOpen(
      id,
      WIDTH,
      height,
      "Entropy estimates against the policy floor",
      `${bars.length} bars in bits per token; ${below} estimates fall below the policy floor of ${floor} bits.`,
    ),
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (xMax * k) / 4;
    parts.push(
      `<line x1="${num(x(v))}" x2="${num(x(v))}" y1="${m.t - 4}" y2="${height - m.b}" stroke="${GRID}"/>`,
      `<text x="${num(x(v))}" y="${height - m.b + 16}" text-anchor="middle" fill="${AXIS}">${formatNumber(v, 0)}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const top = m.t + i * (barH + gap);
    const fill = b.kind === "raw" ? "#94a3b8" : b.belowFloor ? "#dc2626" : "#16a34a";
    parts.push(
      `<text x="${m.l - 8}" y="${top + barH * 0.7}" text-anchor="end" fill="#0f172a">${esc(b.label)}</text>`,
      `<rect class="bar" x="${m.l}" y="${top}" width="${num(Math.max(x(b.bits) - m.l, 1))}" height="${barH}" rx="2" fill="${fill}">` +
        `<title>${esc(b.label)}: ${esc(b.bitsText)}</title></rect>`,
      `<text x="${num(x(b.bits) + 6)}" y="${top + barH * 0.7}" fill="#0f172a" ${HALO}>${esc(b.bitsText)}</text>`,
    );
  });
  const bottom = height - m.b;
  parts.push(
    `<line class="floor" x1="${num(x(floor))}" x2="${num(x(floor))}" y1="${m.t - 16}" y2="${bottom}" stroke="#b91c1c" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${num(x(floor) + 4)}" y="${m.t - 20}" fill="#b91c1c" ${HALO}>policy floor ${floor} bits</text>`,
  );
  if (floor !== 128) {
    parts.push(
      `<line x1="${num(x(128))}" x2="${num(x(128))}" y1="${m.t - 4}" y2="${bottom}" stroke="#475569" stroke-width="1.5" stroke-dasharray="2 3"/>`,
      `<text x="${num(x(128) + 4)}" y="${m.t - 6}" fill="#475569" ${HALO}>128 bits (ASVS 7.2.3)</text>`,
    );
  }
  parts.push(
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t - 4}" y2="${bottom}" stroke="${AXIS}"/>`,
    `<text x="${m.l + pw / 2}" y="${height - 6}" text-anchor="middle" fill="${AXIS}">bits per token</text>`,
    "</svg>",
  );
  return parts.join("");
}
