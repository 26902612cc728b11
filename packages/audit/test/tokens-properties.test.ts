/**
 * Properties the analysis must keep whatever the input: a constant prefix
 * or suffix never changes a verdict (ENV-NOTES: it would otherwise ruin the
 * bit-level analysis), the order of independent random tokens does not
 * matter to the verdicts, and parsing a pasted list is robust to the ways
 * people paste. Seeded cases, many of them, instead of a property library.
 */
import { describe, expect, it } from "vitest";
import { analyzeTokens, parseTokenList, type TokenAnalysis } from "../src/tokens/index.js";
import { SeededRandom } from "./fixtures/tokens/corpus.js";

const statuses = (a: TokenAnalysis): Record<string, string> =>
  Object.fromEntries(a.verdicts.map((v) => [v.id, v.status]));

const ENCODINGS: readonly [string, number, (b: Buffer) => string][] = [
  ["hex", 16, (b) => b.toString("hex")],
  ["base64url", 32, (b) => b.toString("base64url")],
  ["base64", 24, (b) => b.toString("base64")],
  ["short hex", 5, (b) => b.toString("hex")],
];

const PREFIX_CHARS = "abcdef0123456789ABCXYZ_-.:|~sessionid=";

describe("constant prefixes and suffixes do not change verdicts", () => {
  for (const [name, bytes, encode] of ENCODINGS) {
    it(`${name} tokens of ${bytes} random bytes, 6 random prefixes/suffixes each`, () => {
      const rng = new SeededRandom(`prefix-${name}`);
      const tokens = Array.from({ length: 400 }, () => encode(rng.bytes(bytes)));
      const base = analyzeTokens(tokens.map((value) => ({ value })));
      for (let trial = 0; trial < 6; trial++) {
        const affix = (): string =>
          Array.from({ length: 1 + rng.int(12) }, () => PREFIX_CHARS[rng.int(PREFIX_CHARS.length)]).join("");
        const prefix = affix();
        const suffix = trial % 2 === 0 ? "" : affix();
        const wrapped = analyzeTokens(tokens.map((t) => ({ value: `${prefix}${t}${suffix}` })));
        expect(statuses(wrapped), `prefix ${JSON.stringify(prefix)} suffix ${JSON.stringify(suffix)}`).toEqual(
          statuses(base),
        );
        expect(wrapped.summary.bitsPerToken).toBe(base.summary.bitsPerToken);
      }
    });
  }

  it("a prefix does not hide a generator either", () => {
    const values = Array.from({ length: 50 }, (_, i) => String(5000 + i));
    const base = analyzeTokens(values.map((value) => ({ value })));
    const wrapped = analyzeTokens(values.map((value) => ({ value: `v2_${value}` })));
    expect(wrapped.summary.generator).toBe(base.summary.generator);
    expect(wrapped.prediction?.next[0]).toBe(`v2_${base.prediction?.next[0]}`);
  });
});

describe("order of independent random tokens does not matter", () => {
  it("shuffled random tokens get the same verdicts", () => {
    const rng = new SeededRandom("shuffle");
    const tokens = Array.from({ length: 600 }, () => rng.bytes(20).toString("base64url"));
    const shuffled = [...tokens];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const a = analyzeTokens(tokens.map((value) => ({ value })));
    const b = analyzeTokens(shuffled.map((value) => ({ value })));
    expect(statuses(b)).toEqual(statuses(a));
    expect(b.summary.effectiveEntropyBits).toBe(a.summary.effectiveEntropyBits);
  });
});

describe("the analysis is deterministic", () => {
  it("same samples, same report", () => {
    const rng = new SeededRandom("deterministic");
    const samples = Array.from({ length: 300 }, () => ({ value: rng.bytes(16).toString("hex") }));
    expect(JSON.stringify(analyzeTokens(samples))).toBe(JSON.stringify(analyzeTokens(samples)));
  });
});

describe("parseTokenList", () => {
  it("trims, skips blanks and comments, handles CRLF", () => {
    expect(parseTokenList("# captured 2026-01-01\r\n  abc \r\n\r\n#x\ndef\n\n")).toEqual(["abc", "def"]);
    expect(parseTokenList("")).toEqual([]);
    expect(parseTokenList("# only comments\n")).toEqual([]);
  });

  it("strips a cookie name shared by every line, and attributes", () => {
    expect(parseTokenList("PHPSESSID=abc\nPHPSESSID=def; Path=/\nSet-Cookie: PHPSESSID=ghi; HttpOnly")).toEqual([
      "abc",
      "def",
      "ghi",
    ]);
    // Different names (or none) on some lines: nothing is stripped.
    expect(parseTokenList("a=1\nb=2")).toEqual(["a=1", "b=2"]);
    // Base64 padding is not a cookie name.
    expect(parseTokenList("YWJj\nZGVmZw==")).toEqual(["YWJj", "ZGVmZw=="]);
  });

  it("round-trips any token list however it is pasted (seeded cases)", () => {
    const rng = new SeededRandom("paste");
    for (let trial = 0; trial < 50; trial++) {
      const tokens = Array.from({ length: 1 + rng.int(30) }, () => rng.bytes(1 + rng.int(40)).toString("base64"));
      const named = trial % 3 === 0;
      const lines = tokens.flatMap((t) => {
        const out: string[] = [];
        if (rng.int(4) === 0) out.push(rng.int(2) === 0 ? "" : `# note ${rng.int(100)}`);
        out.push(`${" ".repeat(rng.int(3))}${named ? `sid=${t}` : t}${rng.int(3) === 0 ? "\t" : ""}`);
        return out;
      });
      const text = lines.join(trial % 2 === 0 ? "\n" : "\r\n");
      expect(parseTokenList(text)).toEqual(tokens);
    }
  });
});
