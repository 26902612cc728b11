import { describe, expect, it } from "vitest";
import { byteStats } from "../src/tokens/byte-stats.js";
import { fipsTestBytes, longRunLimit, runBounds, scanColumn } from "../src/tokens/fips.js";
import { detectLayout } from "../src/tokens/layout.js";
import { bytesToColumn, columnToBytes, popcountColumn } from "../src/tokens/lib/bits.js";
import {
  chiSquareUpper,
  erfc,
  logBinomialUpperTail,
  logGamma,
  normalTwoSided,
} from "../src/tokens/lib/special-functions.js";
import { buildMatrix } from "../src/tokens/matrix.js";
import {
  collisionEstimate,
  compressionEstimate,
  estimateMinEntropy,
  markovEstimate,
  mostCommonValue,
} from "../src/tokens/min-entropy.js";
import { analysedBytes, bitStream } from "../src/tokens/stream.js";
import { SeededRandom } from "./fixtures/tokens/corpus.js";

const randomBits = (n: number, seed: string, p = 0.5): Uint8Array => {
  const rng = new SeededRandom(seed);
  return Uint8Array.from({ length: n }, () => (rng.uniform() < p ? 1 : 0));
};

describe("special functions", () => {
  it("match reference values", () => {
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 13);
    expect(normalTwoSided(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(chiSquareUpper(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareUpper(24.99579013972863, 15)).toBeCloseTo(0.05, 12);
    expect(Math.exp(logGamma(10))).toBeCloseTo(362880, 6);
    // Far tails stay finite and ordered (a counter's evidence is astronomically small).
    expect(normalTwoSided(30)).toBeGreaterThan(0);
    expect(normalTwoSided(30)).toBeLessThan(1e-190);
    expect(logBinomialUpperTail(10, 10, 0.01)).toBeCloseTo(10 * Math.log(0.01), 10);
    expect(logBinomialUpperTail(0, 10, 0.3)).toBe(0);
    expect(logBinomialUpperTail(5000, 10_000, 1e-4)).toBeLessThan(-30_000);
  });
});

describe("FIPS 140-2", () => {
  it("uses the standard's bounds on 20,000 bits", () => {
    expect(runBounds(20_000)).toEqual([
      [2315, 2685],
      [1114, 1386],
      [527, 723],
      [240, 384],
      [103, 209],
      [103, 209],
    ]);
    expect(longRunLimit(20_000)).toBe(26);
  });

  it("rescales to other sample sizes with the same false-alarm rate", () => {
    expect(longRunLimit(100)).toBe(18);
    expect(longRunLimit(5_000)).toBe(24);
    const [lo, hi] = runBounds(5_000)[0]!;
    expect((lo + hi) / 2).toBeCloseTo(625, 6);
    expect(hi - lo).toBeCloseTo(370 / 2, 6);
  });

  it("fails all-zero and periodic blocks, passes random ones", () => {
    const zeros = fipsTestBytes(new Uint8Array(2500));
    expect([zeros.monobit, zeros.poker, zeros.runs, zeros.longRun]).toEqual([false, false, false, false]);
    const alternating = fipsTestBytes(new Uint8Array(2500).fill(0x55));
    expect([alternating.monobit, alternating.poker, alternating.runs, alternating.longRun]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    const random = fipsTestBytes(new SeededRandom("fips").bytes(2500));
    expect(random.pass).toBe(true);
  });

  it("counts runs and nibbles like the definition", () => {
    // 1110 0100 → runs: 111, 00, 1, 00 ; nibbles 0xe and 0x4.
    const scan = scanColumn(bytesToColumn(Uint8Array.of(0b1110_0100)), 8);
    expect(scan.ones).toBe(4);
    expect(scan.oneRuns).toEqual([1, 0, 1, 0, 0, 0]);
    expect(scan.zeroRuns).toEqual([0, 2, 0, 0, 0, 0]);
    expect(scan.runCount).toBe(4);
    expect(scan.longestRun).toBe(3);
    expect(scan.nibbles[0xe]).toBe(1);
    expect(scan.nibbles[0x4]).toBe(1);
  });

  it("counts runs across word boundaries", () => {
    const bytes = new SeededRandom("runs").bytes(1000);
    const column = bytesToColumn(bytes, 7_993);
    const scan = scanColumn(column, 7_993);
    // Reference: walk the bits one by one.
    let runs = 0;
    let longest = 0;
    let length = 0;
    let previous = -1;
    for (let i = 0; i < 7_993; i++) {
      const bit = (bytes[i >>> 3]! >>> (7 - (i & 7))) & 1;
      if (bit === previous) length++;
      else {
        runs++;
        length = 1;
        previous = bit;
      }
      longest = Math.max(longest, length);
    }
    expect(scan.runCount).toBe(runs);
    expect(scan.longestRun).toBe(longest);
    expect(scan.ones).toBe(popcountColumn(column, 7_993));
  });

  it("packs columns MSB first, as rngtest and ent read them", () => {
    const bytes = new SeededRandom("pack").bytes(2500);
    expect(Buffer.from(columnToBytes(bytesToColumn(bytes), 20_000)).equals(bytes)).toBe(true);
  });
});

describe("SP 800-90B-style estimators", () => {
  it("rate random bits near 1 bit per bit and constant or periodic bits near 0", () => {
    const random = estimateMinEntropy(randomBits(200_000, "90b"));
    for (const key of ["mcv", "collision", "markov", "compression", "tTuple", "lrs"] as const) {
      expect(random[key], key).toBeGreaterThan(0.75);
      expect(random[key], key).toBeLessThanOrEqual(1);
    }
    expect(random.min).toBe(
      Math.min(
        ...[random.mcv, random.collision, random.markov, random.compression, random.tTuple, random.lrs].map(Number),
      ),
    );
    const periodic = Uint8Array.from({ length: 100_000 }, (_, i) => i & 1);
    expect(markovEstimate(periodic)).toBeLessThan(0.01);
    expect(estimateMinEntropy(periodic).lrs ?? 0).toBeLessThan(0.05);
    expect(estimateMinEntropy(periodic).longestRepeat).toBe(64);
    expect(mostCommonValue(new Uint8Array(10_000))).toBe(0);
  });

  it("see a biased source", () => {
    const biased = randomBits(100_000, "90b-biased", 0.75);
    // −log2(0.75) = 0.415 bits per bit, minus the confidence margin.
    expect(mostCommonValue(biased)).toBeGreaterThan(0.39);
    expect(mostCommonValue(biased)).toBeLessThan(0.415);
    expect(collisionEstimate(biased)).toBeLessThan(0.7);
    expect(compressionEstimate(biased)).toBeLessThan(0.8);
  });
});

describe("byte statistics (ent)", () => {
  it("computes ent's figures", () => {
    const uniform = Uint8Array.from({ length: 256 * 4 }, (_, i) => i & 0xff);
    const s = byteStats(uniform);
    expect(s.entropy).toBeCloseTo(8, 12);
    expect(s.chiSquare).toBe(0);
    expect(s.mean).toBe(127.5);
    expect(byteStats(new Uint8Array(100)).serialCorrelation).toBe(-100000);
  });
});

describe("bit matrix and stream", () => {
  it("keeps only variable bits and reads base64url exactly as its bytes", () => {
    const rng = new SeededRandom("matrix");
    const raw = rng.bytes(500 * 32);
    const tokens = Array.from(
      { length: 500 },
      (_, i) => `sid_${raw.subarray(i * 32, i * 32 + 32).toString("base64url")}`,
    );
    const matrix = buildMatrix(detectLayout(tokens), tokens.length);
    // 43 characters × 6 bits = 258, of which the last 2 are always zero.
    expect(matrix.columns).toHaveLength(256);
    expect(matrix.rawBits).toBe(256);
    expect(Buffer.from(analysedBytes(matrix)).equals(raw)).toBe(true);
    const stream = bitStream(matrix, 1_000);
    expect(stream).toHaveLength(3 * 256);
    expect(stream[0]).toBe(raw[0]! >>> 7);
  });

  it("reads decimal fields as numbers with a guard on their top bits", () => {
    const rng = new SeededRandom("decimal");
    const tokens = Array.from({ length: 300 }, () => String(rng.int(1_000_000_000)).padStart(9, "0"));
    const matrix = buildMatrix(detectLayout(tokens), tokens.length);
    expect(matrix.rawBits).toBeCloseTo(9 * Math.log2(10), 6);
    // 30 bits wide, 8 top bits left to the character tests.
    expect(matrix.columns.length).toBe(22);
    expect(matrix.fields[0]!.guardBits).toBeCloseTo(9 * Math.log2(10) - 22, 6);
    expect(matrix.chars).toHaveLength(9);
  });
});
