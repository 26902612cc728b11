/**
 * Structure detection per field: runs the detector families (sequences,
 * timestamps, hashes, LCGs) on every variable field of the layout and
 * composes a generator for the whole token when every variable field is
 * explained — `<counter>-<millis>` is two explained fields.
 */
import { hash } from "node:crypto";
import type { Confidence } from "../report/model.js";
import { encodingLabel } from "./alphabet.js";
import {
  type DigestField,
  describeHashSearch,
  describePreimage,
  detectHash,
  type HashModel,
} from "./detectors/hash.js";
import { detectJavaRandom, detectLinearCongruential, type LcgModel } from "./detectors/lcg.js";
import { detectSequence, type SequenceModel } from "./detectors/sequence.js";
import { detectTimestamp, type TimestampModel } from "./detectors/timestamp.js";
import type { TokenSample } from "./index.js";
import type { Field, Layout } from "./layout.js";
import { maxOf, minOf } from "./lib/array.js";
import { formatCount, formatSeconds } from "./lib/format.js";

/** What a detector established about one field. */
export interface FieldFinding {
  readonly field: number;
  readonly kind: "counter" | "small-deltas" | "timestamp" | "hash" | "lcg" | "constant";
  /** Plain words, e.g. `a counter that increases by 1 per token`. */
  readonly description: string;
  /** Short generator name for the summary, e.g. `md5 of a counter (hex)`. */
  readonly name: string;
  /** Samples (or steps) the model explains, and how many were checked. */
  readonly explained: number;
  readonly checked: number;
  /** Bits an attacker still has to guess per token for this field. */
  readonly residualBits: number;
  /** Candidate next values of the field text, most likely first. */
  readonly next: readonly string[];
  /** How the next value is derived, in words (`md5(1043)`, `the last value + 1`). */
  readonly nextInWords: string;
  readonly evidence: readonly string[];
  readonly confidence: Confidence;
}

/** Result of structure detection. */
export interface StructureReport {
  readonly findings: readonly FieldFinding[];
  /** Every variable field is explained: the token is predictable. */
  readonly predictable: boolean;
  /** Generator of the whole token, in plain words, when predictable. */
  readonly generator: string | null;
  /** The same with the figures of each field (steps, clock offset), for the verdict sentence. */
  readonly description: string | null;
  /** Next whole tokens, most likely first (≤ 20), when predictable. */
  readonly next: readonly string[];
  /** Hashes computed by the hash detector (cost figure). */
  readonly hashes: number;
  /** Detector families that ran, for the "nothing found" sentence. */
  readonly tried: readonly string[];
}

const MAX_NEXT = 20;

/** Run the detectors on every variable field. */
export function detectStructure(layout: Layout, samples: readonly TokenSample[]): StructureReport {
  const findings: FieldFinding[] = [];
  const tried = new Set<string>();
  let hashes = 0;
  for (const field of layout.fields) {
    if (field.constant) continue;
    const finding = detectField(field, samples, tried, (h) => {
      hashes += h;
    });
    if (finding) findings.push(finding);
  }
  const variable = layout.fields.filter((f) => !f.constant);
  if (variable.length === 0 && samples.length >= 2) {
    const token = samples[0]!.value;
    findings.push({
      field: 0,
      kind: "constant",
      name: "the same token every time",
      description: "the same token every time",
      explained: samples.length,
      checked: samples.length,
      residualBits: 0,
      next: [token],
      nextInWords: "the same token again",
      evidence: [`all ${formatCount(samples.length)} samples are identical`],
      confidence: "firm",
    });
    return {
      findings,
      predictable: true,
      generator: "the same token every time",
      description: "the same token every time",
      next: [token],
      hashes,
      tried: [...tried],
    };
  }
  const strong = findings.filter((f) => f.explained >= 0.5 * f.checked);
  const predictable = variable.length > 0 && variable.every((f) => strong.some((s) => s.field === f.index));
  let generator: string | null = null;
  let description: string | null = null;
  let next: string[] = [];
  if (predictable) {
    const ordered = variable.map((f) => strong.find((s) => s.field === f.index)!);
    generator =
      ordered.length === 1
        ? ordered[0]!.name
        : `${describeShape(layout)} composite: ${ordered.map((o) => `field ${o.field + 1} ${o.name}`).join(", ")}`;
    description =
      ordered.length === 1
        ? ordered[0]!.description
        : `${describeShape(layout)} composite: ${ordered.map((o) => `field ${o.field + 1} is ${o.description}`).join("; ")}`;
    next = composeNext(layout, strong);
  }
  return { findings, predictable, generator, description, next, hashes, tried: [...tried] };
}

function describeShape(layout: Layout): string {
  const parts = layout.fields.map((f) => {
    if (!f.constant) return f.numeric ? "<number>" : "<value>";
    const text = f.values[0] ?? "";
    return text.length > 8 ? `<${text.length} constant characters>` : text;
  });
  let shape = parts[0] ?? "";
  for (let i = 1; i < parts.length; i++) shape += `${layout.separators[i - 1] ?? ""}${parts[i]}`;
  return `'${shape}'`;
}

/** Whole-token candidates: the cartesian product of the fields' candidates, best ranks first. */
function composeNext(layout: Layout, findings: readonly FieldFinding[]): string[] {
  const options = layout.fields.map((f) => {
    if (f.constant) return [f.values[0] ?? ""];
    return findings.find((x) => x.field === f.index)?.next.slice(0, MAX_NEXT) ?? [];
  });
  if (options.some((o) => o.length === 0)) return [];
  const combos: { ranks: number[]; sum: number }[] = [];
  const walk = (i: number, ranks: number[]): void => {
    if (combos.length > 2000) return;
    if (i === options.length) {
      combos.push({ ranks, sum: ranks.reduce((a, b) => a + b, 0) });
      return;
    }
    for (let r = 0; r < options[i]!.length && r < MAX_NEXT; r++) walk(i + 1, [...ranks, r]);
  };
  walk(0, []);
  combos.sort((a, b) => a.sum - b.sum);
  return combos.slice(0, MAX_NEXT).map(({ ranks }) => {
    let token = options[0]![ranks[0]!]!;
    for (let i = 1; i < options.length; i++) token += `${layout.separators[i - 1] ?? ""}${options[i]![ranks[i]!]}`;
    return token;
  });
}

function detectField(
  field: Field,
  samples: readonly TokenSample[],
  tried: Set<string>,
  addHashes: (n: number) => void,
): FieldFinding | null {
  const numeric = numericView(field);
  if (numeric) {
    tried.add("counters and small deltas");
    tried.add("timestamps");
    const small = numeric.values.every((v) => v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER));
    const timestamp = small
      ? detectTimestamp(
          numeric.values.map((v) => Number(v)),
          samples,
        )
      : null;
    const sequence = detectSequence(numeric.values, numeric.capacity);
    // Without capture times a value in the Unix-time range is only a guess: one that steps by exactly
    // the same amount every token is a counter (a clock shared by concurrent clients jitters).
    const exactCounter = sequence?.kind === "counter" && sequence.commonSteps.length === 1;
    if (timestamp && (timestamp.reference !== "Unix-time range" || (sequence && !exactCounter))) {
      return timestampFinding(field, numeric, timestamp);
    }
    if (sequence) return sequenceFinding(field, numeric, sequence);
    tried.add("linear congruential generators (incl. java.util.Random)");
    const lcg = detectLcgFor(numeric);
    if (lcg) return lcgFinding(field, numeric, lcg);
  }
  // Concatenated nextLong() hex (Long.toHexString twice, 32 hex digits), as one series.
  const words = isHex(field) ? hexWords(field) : null;
  if (!numeric && words) {
    const chunks = words[0]!.length / 16;
    if (chunks >= 2 && chunks <= 4) {
      tried.add("linear congruential generators (incl. java.util.Random)");
      const series = words.flatMap((hex) =>
        Array.from({ length: chunks }, (_, k) => BigInt.asIntN(64, BigInt(`0x${hex.slice(16 * k, 16 * k + 16)}`))),
      );
      const lcg = detectJavaRandom(series, "long");
      if (lcg && lcg.explained >= 0.9 * lcg.checked) {
        const format = (group: readonly bigint[]): string =>
          group.map((x) => formatHex(BigInt.asUintN(64, x), 16, field.alphabet.name === "HEX")).join("");
        const next: string[] = [];
        for (let k = 0; k + chunks <= lcg.next.length; k += chunks) next.push(format(lcg.next.slice(k, k + chunks)));
        return {
          field: field.index,
          kind: "lcg",
          name: `${lcg.generator.replace("nextLong() per token", `${chunks} × nextLong() per token`)}`,
          description: `${chunks} java.util.Random nextLong() outputs written as ${chunks * 16} hex digits`,
          explained: lcg.explained,
          checked: lcg.checked,
          residualBits: 2,
          next,
          nextInWords: "the generator's next outputs",
          evidence: [
            lcg.detail,
            `${formatCount(lcg.explained)} of ${formatCount(lcg.checked)} later outputs predicted`,
          ],
          confidence: "firm",
        };
      }
    }
  }
  const digest = digestView(field);
  if (digest) {
    tried.add(
      describeHashSearch(
        samples.length,
        samples.some((x) => x.receivedAt !== undefined || x.serverDate !== undefined),
      ),
    );
    const { model, hashes } = detectHash(digest, samples);
    addHashes(hashes);
    if (model) return hashFinding(field, digest, model);
  }
  return null;
}

/** A field read as numbers, and how to write a number back in the field's format. */
interface NumericView {
  readonly values: readonly bigint[];
  readonly capacity: bigint;
  readonly base: 10 | 16;
  readonly format: (x: bigint) => string;
  readonly label: string;
  /** Two's complement width for signed outputs, when the values look like one. */
  readonly width: 32 | 64 | null;
}

function numericView(field: Field): NumericView | null {
  if (field.numeric) {
    const values = field.values.map((v) => BigInt(v));
    const digits = field.values.map((v) => v.replace("-", "").length);
    const maxLen = maxOf(digits);
    const padded = field.values.some((v) => /^-?0\d/.test(v)) && digits.every((d) => d === maxLen);
    const negative = values.some((v) => v < 0n);
    const fits32 = values.every((v) => v >= -(2n ** 31n) && v < 2n ** 31n);
    const width = negative ? (fits32 ? 32 : 64) : values.some((v) => v >= 2n ** 32n) ? 64 : null;
    // Capacity counts only the digits that change: a constant leading digit must not make random values look close.
    let changing = 0;
    for (let p = 0; p < maxLen; p++) {
      const digit = (v: string): string => {
        const d = v.replace("-", "");
        return p < d.length ? d[d.length - 1 - p]! : "";
      };
      const first = digit(field.values[0]!);
      if (field.values.some((v) => digit(v) !== first)) changing = p + 1;
    }
    return {
      values,
      capacity: 10n ** BigInt(Math.max(1, changing)),
      base: 10,
      format: (x) => (padded && x >= 0n ? x.toString().padStart(maxLen, "0") : x.toString()),
      label: "decimal",
      width,
    };
  }
  if (isHex(field) && field.maxLength > 0) {
    const texts = field.values.map((v) => fullHexOf(v, field));
    const maxLen = maxOf(texts.map((t) => t.length));
    if (maxLen > 16 || texts.some((t) => t.length === 0)) return null;
    const fixed = texts.every((t) => t.length === maxLen);
    const upper = field.alphabet.name === "HEX";
    const values = texts.map((t) => BigInt(`0x${t}`));
    let or = 0n;
    let and = values[0] ?? 0n;
    for (const v of values) {
      or |= v;
      and &= v;
    }
    // Capacity over the bits that change: a UUID's version nibble must not make its random group look close.
    return {
      values,
      capacity: 1n << BigInt(Math.max(1, (or ^ and).toString(2).length)),
      base: 16,
      format: (x) => formatHex(x, fixed ? maxLen : 0, upper),
      label: encodingLabel(field.alphabet.name),
      width: maxLen === 16 ? 64 : maxLen === 8 && fixed ? 32 : null,
    };
  }
  return null;
}

function isHex(field: Field): boolean {
  return field.alphabet.name === "hex" || field.alphabet.name === "HEX";
}

/** The field's hex digits including a constant hex prefix/suffix that layout stripped. */
function fullHexOf(value: string, field: Field): string {
  return /^[0-9a-fA-F]+$/.test(value) ? value : value.slice(field.prefix.length, value.length - field.suffix.length);
}

/** The field's hex text in 16-digit words: the body without a constant prefix, or the whole value. */
function hexWords(field: Field): string[] | null {
  for (const view of [(v: string) => bodyOf(v, field), (v: string) => v]) {
    const texts = field.values.map(view);
    const length = texts[0]!.length;
    if (length > 0 && length % 16 === 0 && texts.every((t) => t.length === length && /^[0-9a-fA-F]+$/.test(t))) {
      return texts;
    }
  }
  return null;
}

function bodyOf(value: string, field: Field): string {
  return value.slice(field.prefix.length, value.length - field.suffix.length);
}

function formatHex(x: bigint, width: number, upper: boolean): string {
  const text = x.toString(16).padStart(width, "0");
  return upper ? text.toUpperCase() : text;
}

function detectLcgFor(view: NumericView): LcgModel | null {
  if (view.width === 64) {
    const java = detectJavaRandom(
      view.values.map((v) => BigInt.asIntN(64, v)),
      "long",
    );
    if (java) return java;
  } else if (view.width === 32) {
    const java = detectJavaRandom(
      view.values.map((v) => BigInt.asIntN(32, v)),
      "int",
    );
    if (java) return java;
  }
  return detectLinearCongruential(view.values);
}

/**
 * A field whose bytes are a digest: hex or base64 of 16, 20, 28, 32, 48 or
 * 64 bytes. The body (constant prefix and suffix removed) is tried first,
 * then the whole value, so a prefix that happens to use the same alphabet
 * does not hide the digest.
 */
function digestView(field: Field): DigestField | null {
  const name = field.alphabet.name;
  const hex = name === "hex" || name === "HEX";
  const base64 = name === "base64" || name === "base64url" || name === "alphanumeric";
  if (!hex && !base64) return null;
  const url = name === "base64url";
  const decode = (text: string): Buffer =>
    hex ? Buffer.from(text, "hex") : Buffer.from(text.replace(/=+$/, ""), url ? "base64url" : "base64");
  const valid = (text: string): boolean => (hex ? /^([0-9a-fA-F]{2})+$/.test(text) : /^[A-Za-z0-9+/_-]+=*$/.test(text));
  for (const view of [(v: string) => bodyOf(v, field), (v: string) => v]) {
    const texts = field.values.map(view);
    if (!texts.every(valid)) continue;
    const decoded = texts.map(decode);
    const size = decoded[0]?.length ?? 0;
    if (![16, 20, 28, 32, 48, 64].includes(size) || decoded.some((d) => d.length !== size)) continue;
    const padded = texts.some((t) => t.endsWith("="));
    const isBody = texts[0] !== field.values[0];
    return {
      digests: decoded.map((d) => d.toString("base64")),
      size,
      encode: (d) => {
        const bytes = Buffer.from(d, "base64");
        let text: string;
        if (hex) text = name === "HEX" ? bytes.toString("hex").toUpperCase() : bytes.toString("hex");
        else {
          text = bytes.toString(url ? "base64url" : "base64");
          if (!padded) text = text.replace(/=+$/, "");
        }
        return isBody ? `${field.prefix}${text}${field.suffix}` : text;
      },
    };
  }
  return null;
}

function timestampFinding(field: Field, view: NumericView, model: TimestampModel): FieldFinding {
  const unitWords: Record<TimestampModel["unit"], string> = {
    s: "seconds",
    ms: "milliseconds",
    µs: "microseconds",
    ns: "nanoseconds",
  };
  const perSecond = { s: 1, ms: 1e3, µs: 1e6, ns: 1e9 }[model.unit];
  const clock =
    model.reference === "Unix-time range"
      ? "values in the Unix-time range that advance slowly"
      : `within ${formatSeconds(model.jitterSeconds)} of the ${model.reference} (offset ${formatSeconds(model.offsetSeconds)})`;
  const last = BigInt(model.last);
  const typicalStep = BigInt(Math.max(1, Math.round(perSecond / 10)));
  const next: string[] = [];
  for (let k = 0; k < MAX_NEXT; k++) next.push(view.format(last + BigInt(k) * (model.unit === "s" ? 1n : typicalStep)));
  return {
    field: field.index,
    kind: "timestamp",
    name: `unix time in ${unitWords[model.unit]}${view.base === 16 ? " (hex)" : ""}`,
    description: `unix time in ${unitWords[model.unit]} (${clock})`,
    explained: Math.round(model.agreement * view.values.length),
    checked: view.values.length,
    residualBits: model.residualBits,
    next,
    nextInWords: "the clock at issue time",
    evidence: [
      `${Math.round(model.agreement * 100)} % of values agree with the ${model.reference}`,
      `jitter ${formatSeconds(model.jitterSeconds)}: about ${model.residualBits.toFixed(1)} bits to guess per token`,
    ],
    confidence: model.reference === "Unix-time range" ? "tentative" : "firm",
  };
}

function sequenceFinding(field: Field, view: NumericView, model: SequenceModel): FieldFinding {
  const steps = model.commonSteps;
  const stepWords =
    steps.length === 1
      ? `${model.step > 0n ? "increases" : "decreases"} by ${abs(model.step)} per token`
      : `moves by ${range(steps)} per token${model.gaps ? " (gaps: other clients took values in between)" : ""}`;
  const description =
    model.kind === "counter"
      ? `a counter (${view.label}) that ${stepWords}`
      : `a value that moves in small steps (median ${model.medianStep}, at most ${model.maxStep}) instead of jumping at random`;
  const next = steps.map((d) => view.format(model.last + d)).slice(0, MAX_NEXT);
  const explainedSteps = Math.round(
    (view.values.length - 1) *
      Math.min(
        1,
        steps.length === 1 ? model.stepShare : 0.95 + 0.05 * model.stepShare, // commonSteps cover ≥ 95 %
      ),
  );
  return {
    field: field.index,
    kind: model.kind,
    name: model.kind === "counter" ? `a counter (${view.label})` : `a slowly moving value (${view.label})`,
    description,
    explained: explainedSteps,
    checked: view.values.length - 1,
    residualBits: model.residualBits,
    next,
    nextInWords:
      steps.length === 1
        ? `the last value ${model.step > 0n ? "+" : "−"} ${abs(model.step)}`
        : "the last value plus a small step",
    evidence: [
      `${formatCount(Math.round(model.stepShare * (view.values.length - 1)))} of ${formatCount(view.values.length - 1)} steps are ${model.step > 0n ? "+" : ""}${model.step}`,
      `random values of this size would step this little with probability below 1e${Math.floor(model.logP / Math.LN10)}`,
    ],
    confidence: "firm",
  };
}

function lcgFinding(field: Field, view: NumericView, model: LcgModel): FieldFinding {
  return {
    field: field.index,
    kind: "lcg",
    name: model.generator,
    description: model.generator,
    explained: model.explained,
    checked: model.checked,
    residualBits: 2,
    next: model.next.map((x) => view.format(view.base === 16 ? BigInt.asUintN(view.width ?? 64, x) : x)),
    nextInWords: "the generator's next output",
    evidence: [model.detail, `${formatCount(model.explained)} of ${formatCount(model.checked)} later tokens predicted`],
    confidence: "firm",
  };
}

function hashFinding(field: Field, digest: DigestField, model: HashModel): FieldFinding {
  const encoding = encodingLabel(field.alphabet.name);
  const salted = model.template.form === "n" ? "" : ` with the salt "${model.template.salt}"`;
  const input =
    model.input === "counter"
      ? "a counter"
      : model.input === "time-s"
        ? "the issue time in seconds"
        : "the issue time in milliseconds";
  const explained = model.preimages.filter((p): p is number => p !== null);
  const steps: number[] = [];
  for (let i = 1; i < model.preimages.length; i++) {
    const a = model.preimages[i - 1];
    const b = model.preimages[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined) steps.push(b - a);
  }
  const common = mostCommon(steps);
  const step = model.input === "counter" ? (common ?? 1) : 1;
  const candidates: number[] = [];
  for (let k = 1; candidates.length < MAX_NEXT; k++) candidates.push(model.last + k * Math.max(1, step));
  const next = candidates.map((x) => digest.encode(hashOf(model.algorithm, model.template.build(x))));
  const spread = steps.length > 0 ? maxOf(steps.map(Math.abs)) : 1;
  return {
    field: field.index,
    kind: "hash",
    name: `${model.algorithm} of ${input}${salted} (${encoding})`,
    description: `${model.algorithm} of ${input}${salted}, written as ${encoding}`,
    explained: model.explained,
    checked: model.checked,
    residualBits: model.input === "counter" ? Math.log2(Math.max(1, spread)) : Math.log2(2_000),
    next,
    nextInWords: describePreimage(model.algorithm, model.template, candidates[0]!),
    evidence: [
      `${formatCount(model.explained)} of ${formatCount(model.checked)} tokens are ${describePreimage(model.algorithm, model.template, "x")} for x from ${minOf(explained)} to ${maxOf(explained)}`,
      `${formatCount(model.hashes)} candidate hashes computed`,
    ],
    confidence: model.explained >= 3 ? "firm" : "tentative",
  };
}

function hashOf(algorithm: string, input: string): string {
  return hash(algorithm, input, "base64");
}

function mostCommon(xs: readonly number[]): number | null {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [x, c] of counts) {
    if (c > bestCount) {
      best = x;
      bestCount = c;
    }
  }
  return best;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function range(steps: readonly bigint[]): string {
  const sorted = [...steps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  const sign = (x: bigint): string => (x > 0n ? `+${x}` : `${x}`);
  return lo === hi ? sign(lo) : `${sign(lo)} to ${sign(hi)}`;
}
