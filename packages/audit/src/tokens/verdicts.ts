/**
 * From figures to verdicts: one plain-words result per `token-*` check id,
 * the report summary with its charts, and the prediction. The thresholds
 * that decide a status live here, next to the sentences that explain them.
 */
import type { Confidence, TokenCharts, TokenSummary } from "../report/model.js";
import { encodingLabel } from "./alphabet.js";
import type { BitTests } from "./bit-tests.js";
import type { ByteStats } from "./byte-stats.js";
import type { CharTest } from "./char-tests.js";
import type { DuplicateReport } from "./detectors/duplicates.js";
import type { ReadableReport } from "./detectors/readable.js";
import { type EffectiveEntropy, FAMILY_ALPHA, type Rejection } from "./effective-entropy.js";
import type { TokenAnalysis, TokenCheckId, TokenVerdict } from "./index.js";
import type { Layout } from "./layout.js";
import { formatBits, formatCount, formatP } from "./lib/format.js";
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

const ORDER: readonly TokenCheckId[] = [
  "token-length",
  "token-entropy",
  "token-predictable",
  "token-duplicate",
  "token-bias",
  "token-decodable",
];

/** Build verdicts, summary and prediction. */
export function buildVerdicts(f: Facts): TokenAnalysis {
  const entropy = entropyFigure(f);
  const verdicts: Record<TokenCheckId, TokenVerdict> = {
    "token-length": lengthVerdict(f),
    "token-entropy": entropyVerdict(f, entropy),
    "token-predictable": predictableVerdict(f),
    "token-duplicate": duplicateVerdict(f),
    "token-bias": biasVerdict(f),
    "token-decodable": decodableVerdict(f),
  };
  const list = ORDER.map((id) => verdicts[id]);
  const prediction =
    f.structure.predictable && f.structure.generator !== null
      ? { generator: f.structure.generator, next: f.structure.next.slice(0, 20) }
      : null;
  const warnings = [...sampleWarnings(f.n), ...f.matrix.notes];
  const worst =
    list.find((v) => v.status === "vulnerable" && v.id === "token-predictable") ??
    list.find((v) => v.status === "vulnerable");
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
  return { summary, verdicts: list, prediction };
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

/** Describe the token format in a few words: `43 base64url characters after the constant prefix "sess_v1_"`. */
function describeFormat(f: Facts): string {
  const { layout } = f;
  const variable = layout.fields.filter((x) => !x.constant);
  const one = (field: (typeof variable)[number]): string => {
    const length = field.minLength === field.maxLength ? `${field.minLength}` : `${field.minLength}–${field.maxLength}`;
    return field.numeric ? `a ${length}-digit number` : `${length} ${encodingLabel(field.alphabet.name)} characters`;
  };
  let text =
    variable.length === 1
      ? one(variable[0]!)
      : `${layout.fields.length} fields separated by '${[...new Set(layout.separators)].join("")}' (${variable.map(one).join(", ")})`;
  // A number's leading digits that did not change are not a prefix worth naming.
  if (layout.prefix.length > 0 && !layout.fields[0]?.numeric) text += `, after the constant prefix "${layout.prefix}"`;
  return text;
}

function lengthVerdict(f: Facts): TokenVerdict {
  const raw = round1(f.matrix.rawBits);
  if (f.n === 0) return verdict("token-length", "inconclusive", "no tokens to measure", "firm", []);
  const format = describeFormat(f);
  const constantBits = constantBitNote(f);
  const evidence = [`format: ${format}`, `raw variable bits per token: ${formatBits(raw)}`];
  if (constantBits) evidence.push(constantBits);
  if (f.n < 24) evidence.push(`only ${f.n} samples: bits that never changed are still counted as variable`);
  if (raw < f.minRawBits) {
    return verdict(
      "token-length",
      "vulnerable",
      `tokens carry ${formatBits(raw)} variable bits (${format}), fewer than the ${f.minRawBits} bits required`,
      "firm",
      evidence,
    );
  }
  return verdict(
    "token-length",
    "passed",
    `tokens carry ${formatBits(raw)} variable bits (${format}), at least ${f.minRawBits}`,
    "firm",
    evidence,
  );
}

function constantBitNote(f: Facts): string | null {
  let constantBits = 0;
  for (const field of f.layout.fields) {
    if (field.constant || field.numeric || field.alphabet.bitsPerChar === null) continue;
    const counted = f.matrix.fields.find((x) => x.field === field.index)?.rawBits ?? 0;
    constantBits += field.minLength * field.alphabet.bitsPerChar - counted;
  }
  return constantBits > 0
    ? `${constantBits} bits inside variable characters never change (e.g. version or padding bits)`
    : null;
}

interface EntropyFigure {
  /** Effective entropy per token, bits. */
  readonly bits: number;
  /** What limits it, in words. */
  readonly limitedBy: string;
  /** Whether structure (not only statistics) decided it. */
  readonly structural: boolean;
}

/** Effective entropy: statistics per field, replaced by the residual guesswork where a detector explains a field. */
function entropyFigure(f: Facts): EntropyFigure {
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

function entropyVerdict(f: Facts, e: EntropyFigure): TokenVerdict {
  if (f.n === 0) return verdict("token-entropy", "inconclusive", "no tokens to measure", "firm", []);
  const bits = round1(e.bits);
  const perToken = (h: number | null): string => (h === null ? "n/a" : `${formatBits(round1(h * f.matrix.rawBits))}`);
  const evidence = [
    `effective entropy ${formatBits(bits)} bits per token (limited by ${e.limitedBy})`,
    `per-bit effective entropy, as a sequencer reports it: ${Object.entries(f.effective.atLevel)
      .map(([level, b]) => `${formatBits(b)} bits at ${level}`)
      .join(", ")}`,
    `SP 800-90B-style min-entropy per token (99 % lower bounds on ${formatCount(f.estimates.bits)} bits): MCV ${perToken(f.estimates.mcv)}, collision ${perToken(f.estimates.collision)}, Markov ${perToken(f.estimates.markov)}, compression ${perToken(f.estimates.compression)}, t-tuple ${perToken(f.estimates.tTuple)}, LRS ${perToken(f.estimates.lrs)}`,
    `byte statistics (ent): ${f.bytes.entropy.toFixed(6)} bits per byte, chi-square ${f.bytes.chiSquare.toFixed(2)} (${formatP(f.bytes.chiSquareP)}), serial correlation ${f.bytes.serialCorrelation.toFixed(6)} over ${formatCount(f.bytes.bytes)} bytes`,
  ];
  const policy = f.minEntropyBits;
  if (f.matrix.rawBits < policy) {
    return verdict(
      "token-entropy",
      "vulnerable",
      `at most ${formatBits(round1(f.matrix.rawBits))} bits of entropy per token (the raw variable bits), below the policy of ${policy} bits${e.structural ? `; effective ${formatBits(bits)} bits (${e.limitedBy})` : ""}`,
      "firm",
      evidence,
    );
  }
  if (e.structural && bits < policy) {
    return verdict(
      "token-entropy",
      "vulnerable",
      `effective entropy about ${formatBits(bits)} bits per token, below the policy of ${policy} bits: ${e.limitedBy}`,
      "firm",
      evidence,
    );
  }
  if (f.n < STATISTICS_FLOOR) {
    return verdict(
      "token-entropy",
      "inconclusive",
      `only ${formatCount(f.n)} samples: at least ${STATISTICS_FLOOR} are needed to estimate entropy (${formatBits(round1(f.matrix.rawBits))} raw bits per token)`,
      "tentative",
      evidence,
    );
  }
  if (bits < policy) {
    return verdict(
      "token-entropy",
      "vulnerable",
      `effective entropy ${formatBits(bits)} bits per token, below the policy of ${policy} bits (${e.limitedBy})`,
      f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
      evidence,
    );
  }
  const floorNote =
    f.estimates.min * f.matrix.rawBits < policy
      ? `; the most conservative SP 800-90B-style estimate (${formatBits(round1(f.estimates.min * f.matrix.rawBits))} bits) is below the policy — a 99 % lower bound that needs more samples to tighten`
      : "";
  return verdict(
    "token-entropy",
    "passed",
    `effective entropy ${formatBits(bits)} bits per token, at least the policy of ${policy} bits${floorNote}`,
    f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
    evidence,
  );
}

function predictableVerdict(f: Facts): TokenVerdict {
  const { structure } = f;
  const evidence = structure.findings.flatMap((x) => [`field ${x.field + 1}: ${x.description}`, ...x.evidence]);
  if (structure.predictable && structure.generator) {
    const findings = structure.findings.filter((x) => x.explained >= 0.5 * x.checked);
    const explained = Math.min(...findings.map((x) => x.explained));
    const checked = Math.max(...findings.map((x) => x.checked));
    const confidence: Confidence = findings.some((x) => x.confidence === "tentative") ? "tentative" : "firm";
    const nextWords =
      findings.length === 1 ? findings[0]!.nextInWords : findings.map((x) => x.nextInWords).join(" with ");
    evidence.push(`${structure.next.length} candidate next tokens computed`);
    return verdict(
      "token-predictable",
      "vulnerable",
      `predictable: ${structure.description ?? structure.generator}; ${formatCount(explained)} of ${formatCount(checked)} ${findings.some((x) => x.kind === "counter" || x.kind === "small-deltas") ? "steps" : "samples"} fit; the next value is ${nextWords}`,
      confidence,
      evidence,
    );
  }
  const partial = structure.findings.filter((x) => x.explained >= 0.5 * x.checked);
  const partialNote =
    partial.length > 0
      ? `; ${partial.map((x) => `field ${x.field + 1} is ${x.name} (about ${formatBits(round1(x.residualBits))} bits to guess)`).join(", ")}, but other fields look random`
      : "";
  if (f.n < STRUCTURE_FLOOR) {
    return verdict(
      "token-predictable",
      "inconclusive",
      `only ${formatCount(f.n)} samples: the generator detectors need about ${STRUCTURE_FLOOR} consecutive tokens${partialNote}`,
      "tentative",
      evidence,
    );
  }
  const tried = structure.tried.length > 0 ? structure.tried.join(", ") : "no detector applies to this format";
  return verdict(
    "token-predictable",
    "passed",
    `no deterministic generator found (tried: ${tried})${partialNote}; statistics cannot exclude a generator seeded with a secret`,
    "tentative",
    evidence,
  );
}

function duplicateVerdict(f: Facts): TokenVerdict {
  const d = f.duplicates;
  if (f.n < 2) return verdict("token-duplicate", "inconclusive", "fewer than 2 tokens: nothing to compare", "firm", []);
  if (d.repeats > 0 && d.firstPair) {
    const [a, b] = d.firstPair;
    return verdict(
      "token-duplicate",
      "vulnerable",
      `${formatCount(d.repeats)} of ${formatCount(f.n)} tokens repeat an earlier one (${formatCount(d.values)} values issued more than once, one of them ${d.maxMultiplicity} times): two clients can share a session`,
      "firm",
      [
        `first repeat: samples #${a + 1} and #${b + 1}`,
        `${formatCount(d.pairs)} colliding pairs: about ${formatBits(round1(d.collisionBits ?? 0))} bits of collision entropy`,
      ],
    );
  }
  return verdict("token-duplicate", "passed", `all ${formatCount(f.n)} tokens are distinct`, "firm", []);
}

function biasVerdict(f: Facts): TokenVerdict {
  const { bits, effective, matrix } = f;
  const columns = matrix.columns.length;
  const fipsFailed = bits.fips.filter((x) => !x.pass).length;
  const evidence = [
    `FIPS 140-2 (monobit, poker, runs, long run${f.n === FIPS_SAMPLES ? ", exact 20,000-bit blocks" : `, rescaled to ${formatCount(f.n)} samples`}): ${formatCount(fipsFailed)} of ${formatCount(columns)} bit positions fail at least one test`,
    `${formatCount(effective.tests)} tests, family-wise significance ${FAMILY_ALPHA * 100} % (per test p < ${effective.threshold.toExponential(1)})`,
  ];
  if (bits.strongest) {
    evidence.push(
      `strongest correlation between bit positions: ${describeColumn(f, bits.strongest.a)} and ${describeColumn(f, bits.strongest.b)}, r = ${bits.strongest.r.toFixed(3)} (${formatP(bits.strongest.p)}, first ${formatCount(bits.correlationSamples)} samples)`,
    );
  }
  if (columns === 0) {
    return verdict("token-bias", "inconclusive", "no variable bits to test", "firm", evidence);
  }
  if (f.n < STATISTICS_FLOOR) {
    return verdict(
      "token-bias",
      "inconclusive",
      `only ${formatCount(f.n)} samples: per-position tests need at least ${STATISTICS_FLOOR} (${formatCount(RELIABLE_SAMPLES)} for reliable results)`,
      "tentative",
      evidence,
    );
  }
  const rejections = effective.rejections;
  if (rejections.length > 0) {
    const positions = new Set(
      rejections
        .filter((r) => r.at >= 0)
        .map((r) => `${r.test === "characters" || r.test === "transitions" ? "c" : "b"}${r.at}`),
    );
    const top = rejections.slice(0, 3).map((r) => describeRejection(f, r));
    evidence.push(...rejections.slice(0, 12).map((r) => describeRejection(f, r)));
    return verdict(
      "token-bias",
      "vulnerable",
      `statistical tests reject randomness at ${formatCount(positions.size)} position${positions.size === 1 ? "" : "s"} (family-wise ${FAMILY_ALPHA * 100} %): ${top.join("; ")}`,
      "firm",
      evidence,
    );
  }
  return verdict(
    "token-bias",
    "passed",
    `no bit or character position deviates from random over ${formatCount(f.n)} samples (${formatCount(columns)} bit positions, ${formatCount(effective.tests)} tests, corrected for their number)`,
    f.n >= RELIABLE_SAMPLES ? "firm" : "tentative",
    evidence,
  );
}

function describeColumn(f: Facts, c: number): string {
  const origin = f.matrix.origins[c];
  if (!origin) return `bit ${c}`;
  const field = f.layout.fields.filter((x) => !x.constant).length > 1 ? `field ${origin.field + 1} ` : "";
  return origin.char === null
    ? `${field}number bit ${origin.bit}`
    : `${field}character ${origin.char + 1} bit ${origin.bit + 1}`;
}

function describeRejection(f: Facts, r: Rejection): string {
  if (r.at < 0) return `${r.test} over all bit positions (${formatP(r.p)})`;
  if (r.test === "characters" || r.test === "transitions") {
    const position = f.matrix.chars[r.at]!;
    const where = `${position.fromRight ? `digit ${position.position + 1} from the right` : `character ${position.position + 1}`}`;
    const field = f.layout.fields.filter((x) => !x.constant).length > 1 ? `field ${position.field + 1} ` : "";
    return r.test === "characters"
      ? `${field}${where}: uneven character counts (${formatP(r.p)})`
      : `${field}${where}: predictable steps between successive tokens (${formatP(r.p)})`;
  }
  const ratio = f.bits.onesRatio[r.at] ?? 0.5;
  const detail = r.test === "monobit" ? `, ${(ratio * 100).toFixed(1)} % ones` : "";
  return `${describeColumn(f, r.at)}: ${r.test}${detail} (${formatP(r.p)})`;
}

function decodableVerdict(f: Facts): TokenVerdict {
  const r: ReadableReport = f.readable;
  if (f.n === 0) return verdict("token-decodable", "inconclusive", "no tokens to decode", "firm", []);
  if (r.readable > 0 && r.readable >= 0.5 * r.checked) {
    const fields = r.fields.map((x) => `${x.path} (${x.kind})`);
    const evidence = [`${r.readable} of ${r.checked} tokens examined decode to readable data`];
    if (r.chain) evidence.push(`decoding: ${r.chain}`);
    if (fields.length > 0) evidence.push(`sensitive fields: ${fields.join(", ")}`);
    if (r.keys.length > 0) evidence.push(`keys: ${r.keys.join(", ")}`);
    return verdict(
      "token-decodable",
      "vulnerable",
      `readable: ${r.chain && r.chain !== "plain text" ? `the tokens decode (${r.chain}) to ${r.content ?? "readable data"}` : `the tokens carry ${r.content ?? "readable data"} in plain text`}${fields.length > 0 ? ` with ${fields.join(", ")}` : ""}`,
      "firm",
      evidence,
    );
  }
  return verdict(
    "token-decodable",
    "passed",
    `no readable data in the first ${r.checked} tokens (tried URL-decoding, base64, base64url, hex, JSON, JWT and signed-cookie wrappers)`,
    "firm",
    r.readable > 0 ? [`${r.readable} of ${r.checked} tokens decode to readable text`] : [],
  );
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

function verdict(
  id: TokenCheckId,
  status: TokenVerdict["status"],
  reason: string,
  confidence: Confidence,
  evidence: readonly string[],
): TokenVerdict {
  return { id, status, reason, confidence, evidence };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
