import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../src/core/encoding.js";
import { generateToken, hashToken, isWellFormedToken, TOKEN_LENGTH } from "../src/utils.js";

describe("tokens (L1, L2)", () => {
  it("are 32 random bytes in base64url", () => {
    const token = generateToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(fromBase64Url(token)).toHaveLength(32);
  });

  it("come from the injected CSPRNG, not from time or counters", () => {
    let calls = 0;
    const token = generateToken((bytes) => {
      calls++;
      bytes.fill(7);
    });
    expect(calls).toBe(1);
    expect(fromBase64Url(token)).toEqual(new Uint8Array(32).fill(7));
  });

  it("do not repeat and use every bit position (10,000 tokens)", () => {
    const tokens = new Set<string>();
    const ones = new Array<number>(256).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const token = generateToken();
      tokens.add(token);
      const bytes = fromBase64Url(token) as Uint8Array;
      for (let bit = 0; bit < 256; bit++) ones[bit] = (ones[bit] ?? 0) + (((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1);
    }
    expect(tokens.size).toBe(10_000);
    // Each bit is a fair coin: 5000 ± 6σ (σ = 50) for all 256 positions.
    for (const count of ones) expect(Math.abs(count - 5000)).toBeLessThan(300);
  });

  it("are hashed with SHA-256 for storage, so the stored key is not the token", async () => {
    const token = generateToken();
    const hash = await hashToken(token);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toBe(token);
    expect(await hashToken(token)).toBe(hash);
    const { createHash } = await import("node:crypto");
    expect(hash).toBe(createHash("sha256").update(token).digest("base64url"));
  });

  it("accepts only the exact issued shape", () => {
    expect(isWellFormedToken(generateToken())).toBe(true);
    for (const bad of ["", "abc", `${generateToken()}x`, "a".repeat(42), `${"a".repeat(42)}=`, "../../etc/passwd"]) {
      expect(isWellFormedToken(bad)).toBe(false);
    }
  });
});
