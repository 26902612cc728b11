import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detectSequence } from "../src/tokens/detectors/sequence.js";
import { analyzeTokens, type TokenSample } from "../src/tokens/index.js";
import { JavaRandom, SeededRandom, T0 } from "./fixtures/tokens/corpus.js";

const md = (algorithm: string, input: string, encoding: "hex" | "base64" | "base64url" = "hex"): string =>
  createHash(algorithm).update(input).digest(encoding);
const verdict = (samples: TokenSample[], id: string) => analyzeTokens(samples).verdicts.find((v) => v.id === id)!;
const plain = (values: string[]): TokenSample[] => values.map((value) => ({ value }));

describe("hashes of guessable inputs", () => {
  it("finds md5 of the issue time in milliseconds from the capture times", () => {
    const rng = new SeededRandom("md5-ms");
    let t = T0;
    const samples = Array.from({ length: 40 }, () => {
      t += 50 + rng.int(400);
      return { value: md("md5", String(t)), receivedAt: t + 3 + rng.int(20) };
    });
    const analysis = analyzeTokens(samples);
    expect(analysis.summary.generator).toBe("md5 of the issue time in milliseconds (hex)");
    expect(analysis.verdicts.find((v) => v.id === "token-predictable")?.status).toBe("vulnerable");
  });

  it("finds sha256 of unix seconds against the server's Date header, in base64url", () => {
    const samples = Array.from({ length: 20 }, (_, i) => {
      const seconds = Math.floor(T0 / 1000) + i * 3;
      // The server clock is 90 s ahead of ours: the Date header is what counts.
      return {
        value: md("sha256", String(seconds), "base64url"),
        receivedAt: (seconds - 90) * 1000 + 400,
        serverDate: seconds * 1000,
      };
    });
    expect(analyzeTokens(samples).summary.generator).toBe("sha256 of the issue time in seconds (base64url)");
  });

  it("finds a salted counter and names the salt", () => {
    const samples = plain(Array.from({ length: 30 }, (_, i) => md("sha1", `secret${100 + 2 * i}`)));
    const analysis = analyzeTokens(samples);
    expect(analysis.summary.generator).toBe('sha1 of a counter with the salt "secret" (hex)');
    expect(analysis.prediction?.next[0]).toBe(md("sha1", `secret${100 + 2 * 30}`));
  });

  it("finds a large counter through the strided search (counter beyond the dense range)", () => {
    // Reach with 400 samples: 32,768 + 16,384 · 400/4 ≈ 1.67 million.
    const samples = plain(Array.from({ length: 400 }, (_, i) => md("md5", String(1_500_000 + i)).toUpperCase()));
    const analysis = analyzeTokens(samples);
    expect(analysis.summary.generator).toBe("md5 of a counter (hex (upper case))");
    expect(analysis.prediction?.next[0]).toBe(md("md5", "1500400").toUpperCase());
  });

  it("finds the digest behind a constant prefix written in the same alphabet", () => {
    const samples = plain(Array.from({ length: 20 }, (_, i) => `cafe${md("md5", String(77 + i))}`));
    const analysis = analyzeTokens(samples);
    expect(analysis.summary.generator).toBe("md5 of a counter (hex)");
    expect(analysis.prediction?.next[0]).toBe(`cafe${md("md5", "97")}`);
  });

  it("does not see hashes in random digests", () => {
    const rng = new SeededRandom("digests");
    const samples = plain(Array.from({ length: 200 }, () => rng.bytes(20).toString("hex")));
    expect(verdict(samples, "token-predictable").status).toBe("passed");
  });
});

describe("linear congruential generators", () => {
  it("recovers java.util.Random from nextInt() tokens and predicts the next ones", () => {
    const java = new JavaRandom(42n);
    const values = Array.from({ length: 30 }, () => String(java.nextInt()));
    const analysis = analyzeTokens(plain(values));
    expect(analysis.summary.generator).toBe("java.util.Random (48-bit LCG), nextInt() per token");
    expect(analysis.prediction?.next.slice(0, 2)).toEqual([String(java.nextInt()), String(java.nextInt())]);
  });

  it("follows java.util.Random when other clients take outputs in between", () => {
    const java = new JavaRandom(7n);
    const values: string[] = [];
    const rng = new SeededRandom("skips");
    for (let i = 0; i < 40; i++) {
      for (let k = rng.int(3); k > 0; k--) java.nextLong();
      values.push(java.nextLong().toString());
    }
    expect(analyzeTokens(plain(values)).summary.generator).toBe("java.util.Random (48-bit LCG), nextLong() per token");
  });

  it("recovers java.util.Random behind two nextLong() hex words per token", () => {
    const java = new JavaRandom(99n);
    const hex = (x: bigint): string => BigInt.asUintN(64, x).toString(16).padStart(16, "0");
    const values = Array.from({ length: 20 }, () => hex(java.nextLong()) + hex(java.nextLong()));
    const analysis = analyzeTokens(plain(values));
    expect(analysis.summary.generator).toMatch(/java\.util\.Random .*2 × nextLong\(\) per token/);
    expect(analysis.prediction?.next[0]).toBe(hex(java.nextLong()) + hex(java.nextLong()));
  });

  it("recovers an LCG with unknown parameters, and a textbook one with gaps", () => {
    let x = 12345n;
    const custom = Array.from({ length: 12 }, () => {
      x = (48271n * x + 11n) % 2147483647n;
      return x.toString();
    });
    const unknown = analyzeTokens(plain(custom));
    expect(unknown.summary.generator).toBe("a linear congruential generator (parameters recovered)");
    expect(unknown.prediction?.next[0]).toBe(((48271n * x + 11n) % 2147483647n).toString());

    let y = 1n;
    const glibc: string[] = [];
    for (let i = 0; i < 15; i++) {
      for (let k = i % 3; k >= 0; k--) y = (1103515245n * y + 12345n) % 2n ** 31n;
      glibc.push(y.toString());
    }
    expect(analyzeTokens(plain(glibc)).summary.generator).toBe("a linear congruential generator (glibc rand (TYPE_0))");
  });
});

describe("counters, timestamps and composites", () => {
  it("reads a zero-padded hex counter and keeps its format in predictions", () => {
    const values = Array.from({ length: 50 }, (_, i) => `SESS-${(0x3e8 + 5 * i).toString(16).padStart(8, "0")}`);
    const analysis = analyzeTokens(plain(values));
    expect(analysis.summary.generator).toBe("a counter (hex)");
    expect(analysis.prediction?.next[0]).toBe(`SESS-${(0x3e8 + 250).toString(16).padStart(8, "0")}`);
  });

  it("reads unix time in milliseconds from a Date-header-only capture", () => {
    const samples = Array.from({ length: 15 }, (_, i) => {
      const t = T0 + i * 777;
      return { value: `${t}`, serverDate: Math.floor(t / 1000) * 1000 };
    });
    const v = verdict(samples, "token-predictable");
    expect(v.status).toBe("vulnerable");
    expect(v.reason).toMatch(/unix time in milliseconds \(within .* of the server Date header/);
  });

  it("spots a timestamp field inside otherwise random tokens and counts it as no entropy", () => {
    const rng = new SeededRandom("ts-random");
    const samples = Array.from({ length: 300 }, (_, i) => {
      const t = T0 + i * 1000;
      return { value: `${Math.floor(t / 1000)}.${rng.bytes(6).toString("hex")}`, receivedAt: t + 20 };
    });
    const analysis = analyzeTokens(samples);
    const predictable = analysis.verdicts.find((v) => v.id === "token-predictable")!;
    expect(predictable.status).toBe("passed");
    expect(predictable.reason).toMatch(/field 1 is unix time in seconds/);
    // 48 random bits remain, plus about one bit of clock jitter: below 64.
    expect(analysis.summary.effectiveEntropyBits).toBeLessThan(52);
    expect(analysis.verdicts.find((v) => v.id === "token-entropy")?.status).toBe("vulnerable");
  });

  it("reads a MongoDB ObjectId: time, per-process constant, counter (implicit fields)", () => {
    const rng = new SeededRandom("objectid");
    const machine = rng.bytes(5).toString("hex");
    let counter = 0x3a9f10;
    const samples = Array.from({ length: 60 }, (_, i) => {
      const t = T0 + i * 700;
      counter += 1 + rng.int(2);
      const value = `${Math.floor(t / 1000).toString(16)}${machine}${counter.toString(16).padStart(6, "0")}`;
      return { value, receivedAt: t + 15 };
    });
    const analysis = analyzeTokens(samples);
    // The constant run is the machine id plus the counter's digits that did not change during the capture.
    expect(analysis.summary.generator).toMatch(
      /^'<value><1\d constant characters><value>' composite: field 1 unix time in seconds \(hex\), field 3 a counter \(hex\)$/,
    );
    expect(analysis.prediction?.next[0]).toMatch(new RegExp(`^[0-9a-f]{8}${machine}[0-9a-f]{6}$`));
  });

  it("sequence detector: small deltas, and nothing on random values", () => {
    const rng = new SeededRandom("walk");
    let x = 1_000_000n;
    const walk = Array.from({ length: 100 }, () => (x += BigInt(rng.int(41) - 20)));
    expect(detectSequence(walk, 10n ** 7n)?.kind).toBe("small-deltas");
    const random = Array.from({ length: 100 }, () => BigInt(rng.int(10_000_000)));
    expect(detectSequence(random, 10n ** 7n)).toBeNull();
  });
});

describe("readable tokens", () => {
  it("flags JWT claims with the role and the user id", () => {
    const header = Buffer.from('{"alg":"HS256"}').toString("base64url");
    const values = Array.from({ length: 20 }, (_, i) => {
      const payload = Buffer.from(JSON.stringify({ sub: String(i), role: "user", exp: 1_900_000_000 + i })).toString(
        "base64url",
      );
      const sig = createHmac("sha256", "k").update(`${header}.${payload}`).digest("base64url");
      return `${header}.${payload}.${sig}`;
    });
    const v = verdict(plain(values), "token-decodable");
    expect(v.status).toBe("vulnerable");
    expect(v.reason).toMatch(/decode \(JWT\) to JWT claims with sub \(id\), role \(role\), exp \(expiry\)/);
  });

  it("flags key=value state in hex and e-mail addresses in plain sight", () => {
    const hex = plain(Array.from({ length: 10 }, (_, i) => Buffer.from(`user=u${i};role=admin`).toString("hex")));
    expect(verdict(hex, "token-decodable").reason).toMatch(/decode \(hex\) to key=value session state/);
    const email = plain(Array.from({ length: 10 }, (_, i) => `u${i}@example.com:${1000 + i}`));
    expect(verdict(email, "token-decodable").status).toBe("vulnerable");
  });

  it("does not flag signed random session ids (express-session)", () => {
    const rng = new SeededRandom("express");
    const values = Array.from({ length: 50 }, () => {
      const sid = rng.bytes(24).toString("base64url");
      const sig = createHmac("sha256", "keyboard cat").update(sid).digest("base64").replace(/=+$/, "");
      return encodeURIComponent(`s:${sid}.${sig}`);
    });
    expect(verdict(plain(values), "token-decodable").status).toBe("passed");
  });
});
