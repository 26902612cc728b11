/**
 * What the token analysis measured, and the figures several `token-*`
 * checks judge from. Pure data and arithmetic: the verdicts live in the
 * check modules (`checks/token-*.ts`).
 */
import type { BitTests } from "./bit-tests.js";
import type { ByteStats } from "./byte-stats.js";
import type { CharTest } from "./char-tests.js";
import type { DuplicateReport } from "./detectors/duplicates.js";
import type { ReadableReport } from "./detectors/readable.js";
import type { EffectiveEntropy } from "./effective-entropy.js";
import type { Layout } from "./layout.js";
import { formatBits, formatCount } from "./lib/format.js";
import type { BitMatrix } from "./matrix.js";
import type { MinEntropyEstimates } from "./min-entropy.js";
import type { StructureReport } from "./structure.js";

/** Below this, bit-level tests are outside their validity (SP 800-22 asks n ≥ 100 for frequency and runs tests). */
export const STATISTICS_FLOOR = 100;
/** Burp Sequencer's "reliable for most purposes". */
export const RELIABLE_SAMPLES = 5_000;
/** Exactly one FIPS 140-2 block per bit position. */
export const FIPS_SAMPLES = 20_000;
/** Below this, "no generator found" means little: sequences and LCGs need a few consecutive values. */
export const STRUCTURE_FLOOR = 10;

/** Everything the analysis measured. */
export interface Facts {
  readonly n: number;
  readonly minEntropyBits: number;
  readonly minRawBits: number;
  readonly layout: Layout;
  readonly matrix: BitMatrix;
  readonly bits: BitTests;
  readonly chars: readonly CharTest[];
  readonly effective: EffectiveEntropy;
  readonly estimates: MinEntropyEstimates;
  readonly bytes: ByteStats;
  readonly duplicates: DuplicateReport;
  readonly readable: ReadableReport;
  readonly structure: StructureReport;
}

export interface EntropyFigure {
  /** Effective entropy per token, bits. */
  readonly bits: number;
  /** What limits it, in words. */
  readonly limitedBy: string;
  /** Whether structure (not only statistics) decided it. */
  readonly structural: boolean;
}

/** Effective entropy: statistics per field, replaced by the residual guesswork where a detector explains a field. */
export function entropyFigure(f: Facts): EntropyFigure {
  const { matrix, effective, structure, duplicates } = f;
  let bits = 0;
  const explainedFields: string[] = [];
  const statistical = f.n >= STATISTICS_FLOOR;
  matrix.fields.forEach((field, i) => {
    const finding = structure.findings.find((x) => x.field === field.field && x.explained >= 0.5 * x.checked);
    const measured = statistical ? effective.perField[i]! : field.rawBits;
    if (finding) {
      bits += Math.min(finding.residualBits, measured);
      explainedFields.push(finding.name);
    } else bits += measured;
  });
  let limitedBy = statistical
    ? `bits whose tests pass after correcting for ${formatCount(effective.tests)} tests`
    : "raw variable bits (too few samples for statistics)";
  let structural = explainedFields.length > 0;
  if (structural) limitedBy = `structure: ${explainedFields.join(", ")}`;
  if (duplicates.collisionBits !== null && duplicates.collisionBits < bits) {
    bits = duplicates.collisionBits;
    limitedBy = `duplicates: ${formatCount(duplicates.pairs)} colliding pairs imply about ${formatBits(round1(bits))} bits`;
    structural = true;
  }
  return { bits: Math.max(0, bits), limitedBy, structural };
}

/** Rounds to one decimal, as every figure of the report. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
