import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "../src/core/encoding.js";
import { decodeKey, prepareKeyRing } from "../src/core/key-ring.js";
import { envelopeKeyId, open, seal } from "../src/core/seal.js";
import { generateKey, isSessionError } from "../src/index.js";

describe("sealing with a key ring (L3)", () => {
  it("encrypts with AES-256-GCM and opens only with the same AAD", async () => {
    const ring = await prepareKeyRing([generateKey()])();
    const envelope = await seal(ring, '{"role":"admin"}', "session-a");
    expect(envelope).not.toContain("admin");
    expect(await open(ring, envelope, "session-a")).toBe('{"role":"admin"}');
    expect(await open(ring, envelope, "session-b")).toBeNull();
  });

  it("uses a fresh IV every time", async () => {
    const ring = await prepareKeyRing([generateKey()])();
    expect(await seal(ring, "same", "aad")).not.toBe(await seal(ring, "same", "aad"));
  });

  it("rejects every tampered envelope without throwing", async () => {
    const ring = await prepareKeyRing([generateKey()])();
    const envelope = await seal(ring, "secret data", "aad");
    const variants = [
      envelope.slice(0, -1),
      `${envelope}A`,
      envelope.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
      "x.y",
      "",
      ".",
      `${envelope.split(".")[0]}.!!!`,
    ];
    for (let i = envelope.indexOf(".") + 1; i < envelope.length; i += 7) {
      variants.push(envelope.slice(0, i) + (envelope[i] === "A" ? "B" : "A") + envelope.slice(i + 1));
    }
    for (const v of variants) expect(await open(ring, v, "aad")).toBeNull();
  });

  it("rotation: the new current key encrypts, old keys still decrypt", async () => {
    const oldKey = generateKey();
    const newKey = generateKey();
    const before = await prepareKeyRing([oldKey])();
    const envelope = await seal(before, "data", "aad");
    const after = await prepareKeyRing([newKey, oldKey])();
    expect(await open(after, envelope, "aad")).toBe("data");
    const resealed = await seal(after, "data", "aad");
    expect(envelopeKeyId(resealed)).toBe(after.current.id);
    expect(envelopeKeyId(resealed)).not.toBe(envelopeKeyId(envelope));
    const retired = await prepareKeyRing([newKey])();
    expect(await open(retired, envelope, "aad")).toBeNull();
  });
});

describe("the node:crypto fast path and WebCrypto agree", () => {
  it("seals on one path and opens on the other, both ways", async () => {
    const keys = [generateKey()];
    const native = await prepareKeyRing(keys)();
    const web = await prepareKeyRing(keys, { native: false })();
    expect(native.native).not.toBeNull();
    expect(web.native).toBeNull();
    expect(await open(web, await seal(native, "data", "aad"), "aad")).toBe("data");
    expect(await open(native, await seal(web, "data", "aad"), "aad")).toBe("data");
    expect(await open(native, await seal(web, "data", "aad"), "other")).toBeNull();
    const tampered = await seal(native, "data", "aad");
    expect(await open(native, `${tampered.slice(0, -2)}AA`, "aad")).toBeNull();
    expect(new Uint8Array(native.native?.sha256(new TextEncoder().encode("x")) ?? [])).toEqual(
      new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("x"))),
    );
  });
});

describe("weak keys are startup errors (L15)", () => {
  const cases: Array<[string, unknown]> = [
    ["missing", undefined],
    ["empty ring", []],
    ["a passphrase", "correct horse battery staple"],
    ["too short", "c2hvcnQ"],
    ["repeated characters", "a".repeat(43)],
    ["low-variety hex", "ab".repeat(32)],
    ["zero bytes", new Uint8Array(32)],
    ["16 bytes", new Uint8Array(16).map((_, i) => i * 13)],
  ];
  for (const [label, key] of cases) {
    it(`refuses ${label}`, () => {
      let error: unknown;
      try {
        prepareKeyRing(key === undefined ? undefined : ([key] as never));
      } catch (e) {
        error = e;
      }
      expect(isSessionError(error, "ERR_WEAK_KEY")).toBe(true);
      expect((error as Error).message).toMatch(/keys/);
      if (typeof key === "string" && key.length > 0) expect((error as Error).message).not.toContain(key);
    });
  }

  it("refuses a repeated key", () => {
    const key = generateKey();
    expect(() => prepareKeyRing([key, key])).toThrow(/repeats/);
  });

  it("accepts base64url, base64, hex and bytes", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    expect(decodeKey(Buffer.from(bytes).toString("base64url"), 0)).toEqual(bytes);
    expect(decodeKey(Buffer.from(bytes).toString("base64"), 0)).toEqual(bytes);
    expect(decodeKey(Buffer.from(bytes).toString("hex"), 0)).toEqual(bytes);
    expect(decodeKey(bytes, 0)).toEqual(bytes);
  });
});

describe("constant-time comparison (L2)", () => {
  it("compares correctly", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abd", "abc")).toBe(false);
    expect(timingSafeEqual("ab", "abc")).toBe(false);
    expect(timingSafeEqual("", "abc")).toBe(false);
    expect(timingSafeEqual("abcd", "abc")).toBe(false);
  });
});
