/**
 * Effective entropy from the test results: the number of bits whose tests
 * pass at a significance level, as a sequencer reports it (1 %, 0.1 %,
 * 0.01 %), and the family-wise figure the verdicts use.
 *
 * Per-bit levels are what Burp Sequencer shows: each bit is judged on its
 * own, so at 1 % a perfectly random 256-bit token loses a few bits to chance
 * (≈ 7 tests per bit). The verdicts instead correct for the number of tests
 * (Bonferroni at 0.1 % family-wise), so a random token keeps all its bits
 * and a finding means the defect is real.
 */
import type { BitTests } from "./bit-tests.js";
import type { CharTest } from "./char-tests.js";
import type { BitMatrix } from "./matrix.js";

/** Per-bit significance levels reported, as labels and values. */
export const SIGNIFICANCE_LEVELS: readonly (readonly [string, number])[] = [
  ["1%", 0.01],
  ["0.1%", 0.001],
  ["0.01%", 0.0001],
];

/** Family-wise significance of the verdicts. */
export const FAMILY_ALPHA = 0.001;

/** A test that failed after the family-wise correction, for evidence. */
export interface Rejection {
  /** `monobit`, `poker`, `runs`, `long run`, `correlation`, `characters`, `transitions`, `aggregate monobit`, `aggregate runs`. */
  readonly test: string;
  /** Column index (bit tests) or character index (character tests), −1 for aggregates. */
  readonly at: number;
  readonly p: number;
}

/** Effective-entropy accounting. */
export interface EffectiveEntropy {
  /** Per-bit effective entropy at each level in {@link SIGNIFICANCE_LEVELS}, bits per token. */
  readonly atLevel: Readonly<Record<string, number>>;
  /** Bits per token whose tests pass after the family-wise correction. */
  readonly familyWise: number;
  /** The same, per entry of `matrix.fields`. */
  readonly perField: readonly number[];
  /** Number of p-values in the family. */
  readonly tests: number;
  /** Per-test threshold: FAMILY_ALPHA / tests. */
  readonly threshold: number;
  /** Tests rejected at the threshold, smallest p first. */
  readonly rejections: readonly Rejection[];
}

/** Combine bit and character test results into effective entropy. */
export function effectiveEntropy(matrix: BitMatrix, bits: BitTests, chars: readonly CharTest[]): EffectiveEntropy {
  const charMin = chars.map((t) => minDefined(t.countsP, t.transitionsP));
  const columnMin = matrix.columns.map((_, c) =>
    minDefined(bits.p.monobit[c]!, bits.p.poker[c]!, bits.p.runs[c]!, bits.p.longRun[c]!, bits.p.correlation[c]!),
  );
  const columnChar = new Int32Array(matrix.columns.length).fill(-1);
  matrix.chars.forEach((position, index) => {
    for (const c of position.columns) columnChar[c] = index;
  });
  const columnWorst = columnMin.map((p, c) => Math.min(p, columnChar[c]! >= 0 ? charMin[columnChar[c]!]! : 1));

  const perField = (alpha: number): number[] =>
    matrix.fields.map((field) => {
      let total = 0;
      for (const c of field.columns) if (columnWorst[c]! >= alpha) total++;
      // Raw bits of bit fields beyond the analysed columns (too few samples to see them change) count as passing.
      total += field.guardBits === 0 ? Math.max(0, field.rawBits - field.columns.length) : 0;
      // Mixed-radix top bits: credited when every character of the field passes.
      if (field.guardBits > 0 && field.chars.every((ch) => charMin[ch]! >= alpha)) total += field.guardBits;
      return total;
    });
  const bitsPassing = (alpha: number): number => perField(alpha).reduce((a, b) => a + b, 0);

  const atLevel: Record<string, number> = {};
  for (const [label, alpha] of SIGNIFICANCE_LEVELS) atLevel[label] = round2(bitsPassing(alpha));

  let charTestCount = 0;
  for (const t of chars) charTestCount += (Number.isNaN(t.countsP) ? 0 : 1) + (Number.isNaN(t.transitionsP) ? 0 : 1);
  const tests = Math.max(1, bits.testCount + charTestCount);
  const threshold = FAMILY_ALPHA / tests;

  const rejections: Rejection[] = [];
  const bitNames: [keyof BitTests["p"], string][] = [
    ["monobit", "monobit"],
    ["poker", "poker"],
    ["runs", "runs"],
    ["longRun", "long run"],
    ["correlation", "correlation"],
  ];
  for (const [key, name] of bitNames) {
    const values = bits.p[key];
    for (let c = 0; c < values.length; c++)
      if (values[c]! < threshold) rejections.push({ test: name, at: c, p: values[c]! });
  }
  chars.forEach((t, i) => {
    if (t.countsP < threshold) rejections.push({ test: "characters", at: i, p: t.countsP });
    if (t.transitionsP < threshold) rejections.push({ test: "transitions", at: i, p: t.transitionsP });
  });
  if (bits.aggregateMonobitP < threshold)
    rejections.push({ test: "aggregate monobit", at: -1, p: bits.aggregateMonobitP });
  if (bits.aggregateRunsP < threshold) rejections.push({ test: "aggregate runs", at: -1, p: bits.aggregateRunsP });
  rejections.sort((x, y) => x.p - y.p);

  const fieldWise = perField(threshold).map(round2);
  return {
    atLevel,
    familyWise: round2(fieldWise.reduce((a, b) => a + b, 0)),
    perField: fieldWise,
    tests,
    threshold,
    rejections,
  };
}

function minDefined(...values: number[]): number {
  let min = 1;
  for (const v of values) if (!Number.isNaN(v) && v < min) min = v;
  return min;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
