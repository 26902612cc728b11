import { describe, expect, it } from "vitest";
import { retryDelay } from "../src/core/lib/write-protocol.js";
import type { RandomSource } from "../src/core/token.js";

const constant =
  (byte: number, calls: { count: number }): RandomSource =>
  (bytes) => {
    calls.count++;
    bytes.fill(byte);
  };

describe("retry jitter of versioned writes (L11)", () => {
  it("comes from the manager's injected randomness, never Math.random", () => {
    const calls = { count: 0 };
    const original = Math.random;
    Math.random = () => {
      throw new Error("Math.random must not be used");
    };
    try {
      expect(retryDelay(constant(0, calls), 0)).toBe(0);
      expect(retryDelay(constant(128, calls), 0)).toBe(2.5);
      expect(calls.count).toBe(2);
    } finally {
      Math.random = original;
    }
  });

  it("grows with the attempt number and stays below 5 ms per attempt", () => {
    const calls = { count: 0 };
    for (const attempt of [0, 1, 9, 24]) {
      const delay = retryDelay(constant(255, calls), attempt);
      expect(delay).toBeLessThan(5 * (attempt + 1));
      expect(delay).toBeGreaterThan(4.9 * (attempt + 1));
    }
  });
});
