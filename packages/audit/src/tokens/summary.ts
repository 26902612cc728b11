/**
 * The token section of the report: the summary figures, the charts, the
 * prediction and the sample-size warnings. The per-check verdicts come from
 * the `token-*` check modules; the summary quotes the most severe one.
 */
import type { TokenCharts, TokenSummary } from "../report/model.js";
import { entropyFigure, type Facts, FIPS_SAMPLES, RELIABLE_SAMPLES, round1, STATISTICS_FLOOR } from "./facts.js";
import type { Prediction, TokenVerdict } from "./index.js";
import { formatBits, formatCount } from "./lib/format.js";

/**
 * The summary, charts and prediction of one analysis.
 * @param worst the vulnerable verdict of the most severe check, or `undefined`
 */
export function summarizeTokens(
  f: Facts,
  worst: TokenVerdict | undefined,
): { readonly summary: TokenSummary; readonly prediction: Prediction | null } {
  const entropy = entropyFigure(f);
  const prediction =
    f.structure.predictable && f.structure.generator !== null
      ? { generator: f.structure.generator, next: f.structure.next.slice(0, 20) }
      : null;
  const warnings = [...sampleWarnings(f.n), ...f.matrix.notes];
  const summary: TokenSummary = {
    samples: f.n,
    bitsPerToken: round1(f.matrix.rawBits),
    effectiveEntropyBits: round1(entropy.bits),
    generator: prediction?.generator ?? null,
    verdict: worst
      ? worst.reason
      : f.n === 0
        ? "no tokens to analyse"
        : `no weakness found in ${formatCount(f.n)} tokens: ${formatBits(round1(f.matrix.rawBits))} variable bits, effective entropy ${formatBits(round1(entropy.bits))} bits`,
    ...(prediction ? { predicted: prediction.next } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    charts: charts(f),
  };
  return { summary, prediction };
}

function sampleWarnings(n: number): string[] {
  if (n === 0) return [];
  if (n < STATISTICS_FLOOR) {
    return [
      `only ${formatCount(n)} samples: the statistical tests need at least ${STATISTICS_FLOOR} (token-bias is inconclusive); collect ${formatCount(RELIABLE_SAMPLES)} for reliable results`,
    ];
  }
  if (n < RELIABLE_SAMPLES) {
    return [
      `${formatCount(n)} samples find gross defects only; ${formatCount(RELIABLE_SAMPLES)} are reliable for most purposes, ${formatCount(FIPS_SAMPLES)} give FIPS-grade per-bit tests`,
    ];
  }
  if (n < FIPS_SAMPLES) {
    return [
      `FIPS 140-2 bounds are rescaled to ${formatCount(n)} samples; ${formatCount(FIPS_SAMPLES)} give the standard's exact 20,000-bit blocks`,
    ];
  }
  return [];
}

function charts(f: Facts): TokenCharts {
  const perToken = (h: number | null): number => round1((h ?? 0) * f.matrix.rawBits);
  const estimates: Record<string, number> = {};
  if (f.n > 0 && f.matrix.columns.length > 0) {
    estimates["mcv"] = perToken(f.estimates.mcv);
    estimates["collision"] = perToken(f.estimates.collision);
    estimates["markov"] = perToken(f.estimates.markov);
    if (f.estimates.compression !== null) estimates["compression"] = perToken(f.estimates.compression);
    if (f.estimates.tTuple !== null) estimates["t-tuple"] = perToken(f.estimates.tTuple);
    if (f.estimates.lrs !== null) estimates["lrs"] = perToken(f.estimates.lrs);
    estimates["effective"] = round1(entropyFigure(f).bits);
    estimates["policy"] = f.minEntropyBits;
  }
  return {
    bitBias: f.bits.onesRatio.map((p) => Math.round(Math.abs(p - 0.5) * 10_000) / 10_000),
    charDistribution: f.matrix.chars.map((position, i) => {
      const counts = f.chars[i]?.counts;
      const record: Record<string, number> = {};
      if (counts)
        counts.forEach((c, s) => {
          if (c > 0) record[position.label(s)] = c;
        });
      return record;
    }),
    estimates,
    effectiveEntropyAt: f.effective.atLevel,
  };
}
