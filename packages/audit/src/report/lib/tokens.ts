import type { Report } from "../model.js";
import type { RenderOptions } from "../options.js";
import { formatNumber, minEntropyBits, noiseBound, plural } from "./text.js";

/** One labelled entropy figure, and whether it falls short of the policy floor. */
export interface EntropyBar {
  readonly label: string;
  readonly bits: number;
  readonly bitsText: string;
  readonly belowFloor: boolean;
  readonly kind: "raw" | "estimate" | "effective";
}

/** Everything both text renderers say about `report.tokens`, computed once. */
export interface TokenSection {
  readonly floor: number;
  readonly samples: number;
  readonly figures: ReadonlyArray<{ readonly label: string; readonly value: string }>;
  readonly verdict: string | undefined;
  readonly estimates: readonly EntropyBar[];
  /** Raw, estimator and effective bars for the entropy chart. */
  readonly bars: readonly EntropyBar[];
  readonly significance: ReadonlyArray<{ readonly level: string; readonly bits: number; readonly bitsText: string }>;
  readonly bias: { readonly values: readonly number[]; readonly bound: number; readonly summary: string } | undefined;
  readonly distribution:
    | { readonly columns: ReadonlyArray<Readonly<Record<string, number>>>; readonly summary: string }
    | undefined;
  /** Set when there is nothing to chart: the sentence shown instead. */
  readonly chartsNote: string | undefined;
  readonly predicted: readonly string[];
  readonly warnings: readonly string[];
}

const ESTIMATOR_LABEL: Readonly<Record<string, string>> = {
  mcv: "Most common value (MCV)",
  collision: "Collision",
  markov: "Markov",
  compression: "Compression",
  "t-tuple": "t-Tuple",
  lrs: "Longest repeated substring",
  shannon: "Shannon (upper bound)",
  "min-entropy": "Min-entropy",
};

/** Display name of an entropy estimator key (`mcv` → `Most common value (MCV)`). */
export function estimatorLabel(key: string): string {
  return ESTIMATOR_LABEL[key.toLowerCase()] ?? key;
}

/** Characters as a reader can see them: control and space characters get a visible name. */
export function displayChar(c: string): string {
  if (c === " ") return "␠";
  if (c.length === 1 && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) {
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  }
  return c;
}

function bitsText(n: number): string {
  return `${formatNumber(n, 1)} bits`;
}

function biasSummary(values: readonly number[], bound: number): string {
  let worst = 0;
  values.forEach((v, i) => {
    if (v > (values[worst] ?? 0)) worst = i;
  });
  const above = values.filter((v) => v > bound).length;
  const boundText = Number.isFinite(bound) ? formatNumber(bound, 3) : "n/a";
  return (
    `Bit bias: ${above} of ${plural(values.length, "analysed bit position")} exceed the random-noise bound of ${boundText} (α = 0.1 %); ` +
    `the largest bias is ${formatNumber(values[worst] ?? 0, 3)} at bit ${worst}.`
  );
}

function distributionSummary(columns: ReadonlyArray<Readonly<Record<string, number>>>): string {
  const alphabet = new Set<string>();
  let best = { position: 0, char: "", share: 0 };
  columns.forEach((col, position) => {
    const total = Object.values(col).reduce((a, b) => a + b, 0);
    for (const [char, count] of Object.entries(col)) {
      alphabet.add(char);
      const share = total > 0 ? count / total : 0;
      if (share > best.share) best = { position, char, share };
    }
  });
  const uniform = alphabet.size > 0 ? 100 / alphabet.size : 0;
  return (
    `Character distribution: ${plural(columns.length, "analysed position")} over an alphabet of ${plural(alphabet.size, "character")}; ` +
    `the most concentrated is position ${best.position}, where "${displayChar(best.char)}" appears in ${formatNumber(best.share * 100, 1)} % of samples ` +
    `(uniform would be ${formatNumber(uniform, 1)} %).`
  );
}

/** Derives the token-analysis section shared by the Markdown and HTML renderers. */
export function tokenSection(report: Report, options: RenderOptions): TokenSection {
  const t = report.tokens;
  const floor = options.minEntropyBits ?? report.tokens.minEntropyBits ?? minEntropyBits(options);
  const charts = t.charts;
  const effectiveBelow = t.effectiveEntropyBits < floor;
  // Without samples the bit figures are zeros, not measurements: show none of them.
  const figures = [
    { label: "Samples analysed", value: String(t.samples) },
    { label: "Raw bits per token", value: bitsText(t.bitsPerToken) },
    {
      label: "Effective entropy",
      value: `${bitsText(t.effectiveEntropyBits)} — ${effectiveBelow ? "below" : "meets"} the policy floor of ${floor} bits`,
    },
    { label: "Generator", value: t.generator ?? "none identified (no deterministic structure found)" },
  ].slice(0, t.samples > 0 ? undefined : 1);
  const estimates: EntropyBar[] = Object.entries(charts?.estimates ?? {}).map(([key, bits]) => ({
    label: estimatorLabel(key),
    bits,
    bitsText: bitsText(bits),
    belowFloor: bits < floor,
    kind: "estimate",
  }));
  const bars: EntropyBar[] =
    t.samples > 0
      ? [
          {
            label: "Raw token length",
            bits: t.bitsPerToken,
            bitsText: bitsText(t.bitsPerToken),
            belowFloor: t.bitsPerToken < floor,
            kind: "raw",
          },
          ...estimates,
          {
            label: "Effective entropy",
            bits: t.effectiveEntropyBits,
            bitsText: bitsText(t.effectiveEntropyBits),
            belowFloor: effectiveBelow,
            kind: "effective",
          },
        ]
      : [];
  const significance = Object.entries(charts?.effectiveEntropyAt ?? {}).map(([level, bits]) => ({
    level,
    bits,
    bitsText: bitsText(bits),
  }));
  const bound = noiseBound(t.samples);
  const bias =
    charts !== undefined && charts.bitBias.length > 0
      ? { values: charts.bitBias, bound, summary: biasSummary(charts.bitBias, bound) }
      : undefined;
  const distribution =
    charts !== undefined && charts.charDistribution.length > 0
      ? { columns: charts.charDistribution, summary: distributionSummary(charts.charDistribution) }
      : undefined;
  let chartsNote: string | undefined;
  if (t.samples === 0) {
    chartsNote = "No tokens were sampled in this run, so there are no token statistics to chart.";
  } else if (charts === undefined) {
    chartsNote =
      "No per-position statistics were recorded for this run (too few samples, or the statistical analysis was skipped), so no charts can be drawn.";
  }
  return {
    floor,
    samples: t.samples,
    figures,
    verdict: t.verdict,
    estimates,
    bars,
    significance,
    bias,
    distribution,
    chartsNote,
    predicted: t.predicted ?? [],
    warnings: t.warnings ?? [],
  };
}
