/**
 * Counters and small deltas: successive values that differ by much less
 * than random values of the same size would. Works on any numeric series:
 * a whole decimal token, one field of a structured token, a hex counter.
 */
import { logBinomialUpperTail, logGamma } from "../lib/special-functions.js";

/** A numeric series that advances predictably. */
export interface SequenceModel {
  /** `counter`: ≥ 90 % of steps go one way; `small-deltas`: steps are small but not one-way. */
  readonly kind: "counter" | "small-deltas";
  /** The most common step. */
  readonly step: bigint;
  /** Share of steps equal to `step`. */
  readonly stepShare: number;
  /** Steps differ (other clients took values in between, or the step varies). */
  readonly gaps: boolean;
  /** Distinct steps covering ≥ 95 % of the observations, most common first (at most 20). */
  readonly commonSteps: readonly bigint[];
  /** Median absolute step. */
  readonly medianStep: bigint;
  /** Largest absolute step seen. */
  readonly maxStep: bigint;
  /** ln of the probability that random values of this size step this little (the evidence). */
  readonly logP: number;
  /** log2 of how many next values cover 95 % of the observed steps: the guesses an attacker needs. */
  readonly residualBits: number;
  readonly last: bigint;
}

/** Evidence threshold: ln(1e-6), about one false alarm per million random fields examined. */
const LOG_THRESHOLD = Math.log(1e-6);

/**
 * Detect a counter or small-delta sequence.
 *
 * Under the hypothesis "values are uniform in [0, capacity)", two successive
 * values differ by at most D with probability ≤ (2D + 1)/capacity; seeing at
 * least half of all steps that small is a binomial tail. The series is
 * structured when that tail (or the chance of strict monotony, 2/n!) is below 1e-6.
 *
 * @param values the series in issue order (at least 5)
 * @param capacity the size of the space the values vary in: 10^(changing digits), 2^(changing bits)
 */
export function detectSequence(values: readonly bigint[], capacity: bigint): SequenceModel | null {
  if (values.length < 5) return null;
  const steps: bigint[] = [];
  for (let i = 1; i < values.length; i++) steps.push(values[i]! - values[i - 1]!);
  const absolute = steps.map((d) => (d < 0n ? -d : d)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const median = absolute[Math.floor((absolute.length - 1) / 2)]!;
  const within = absolute.filter((d) => d <= median).length;
  const p0 = ratio(2n * median + 1n, capacity);
  // Order alone: n distinct random values come out strictly monotonic with probability 2/n!,
  // which catches a short counter whose few changing digits make the size test weak.
  const monotonic = steps.every((d) => d > 0n) || steps.every((d) => d < 0n);
  const logMonotonic = monotonic ? Math.log(2) - logGamma(values.length + 1) : 0;
  const logP = Math.min(logBinomialUpperTail(within, steps.length, Math.min(1, p0)), logMonotonic);
  if (!(logP < LOG_THRESHOLD)) return null;

  const counts = new Map<bigint, number>();
  for (const d of steps) counts.set(d, (counts.get(d) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const [step, stepCount] = ranked[0]!;
  const common: bigint[] = [];
  let covered = 0;
  for (const [d, c] of ranked) {
    if (covered >= 0.95 * steps.length || common.length >= 20) break;
    common.push(d);
    covered += c;
  }
  const up = steps.filter((d) => d > 0n).length;
  const down = steps.filter((d) => d < 0n).length;
  const oneWay = Math.max(up, down) >= 0.9 * steps.length;
  // Guesses needed for 95 % of next values: the spread of the central 95 % of steps.
  const sorted = [...steps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = sorted[Math.floor(0.025 * (sorted.length - 1))]!;
  const hi = sorted[Math.ceil(0.975 * (sorted.length - 1))]!;
  const span = hi - lo + 1n;
  return {
    kind: oneWay ? "counter" : "small-deltas",
    step,
    stepShare: stepCount / steps.length,
    gaps: counts.size > 1,
    commonSteps: common,
    medianStep: median,
    maxStep: absolute[absolute.length - 1]!,
    logP,
    residualBits: Math.log2(Number(span > 0n ? span : 1n)),
    last: values[values.length - 1]!,
  };
}

function ratio(a: bigint, b: bigint): number {
  if (b <= 0n) return 1;
  if (a >= b) return 1;
  // Scale down both to keep the quotient exact enough in floating point.
  const shift = BigInt(Math.max(0, b.toString(2).length - 60));
  return Number(a >> shift) / Number(b >> shift || 1n);
}
