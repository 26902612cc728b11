import { createHmac, randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeValue, findSensitiveFields } from "../src/tokens/decode.js";

const b64url = (s: string | Buffer): string => Buffer.from(s).toString("base64url");

describe("decodeValue", () => {
  it("reads base64 JSON session state and its sensitive fields", () => {
    const value = Buffer.from(JSON.stringify({ user: "alice", role: "user", uid: 17 })).toString("base64");
    const layers = decodeValue(value);
    const json = layers.find((l) => l.json !== undefined);
    expect(json?.encoding).toBe("base64");
    expect(json?.depth).toBe(1);
    expect(json?.json).toEqual({ user: "alice", role: "user", uid: 17 });
    expect(findSensitiveFields(json?.json)).toEqual([
      { path: "user", kind: "user" },
      { path: "role", kind: "role" },
      { path: "uid", kind: "id" },
    ]);
  });

  it("splits a JWT into header, payload and signature", () => {
    const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = b64url(JSON.stringify({ sub: "42", admin: false, exp: 1_900_000_000 }));
    const sig = createHmac("sha256", "secret").update(`${header}.${payload}`).digest("base64url");
    const [layer] = decodeValue(`${header}.${payload}.${sig}`);
    expect(layer?.encoding).toBe("jwt");
    expect(layer?.header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(layer?.json).toEqual({ sub: "42", admin: false, exp: 1_900_000_000 });
    expect(layer?.signed).toEqual({
      signingInput: `${header}.${payload}`,
      signature: sig,
      separator: ".",
      scheme: "jwt",
    });
    expect(findSensitiveFields(layer?.json).map((f) => f.kind)).toEqual(["id", "admin-flag", "expiry"]);
  });

  it("peels URL-encoding and an express cookie-signature wrapper", () => {
    const sid = randomBytes(24).toString("base64url");
    const sig = createHmac("sha256", "keyboard cat").update(sid).digest("base64").replace(/=+$/, "");
    const layers = decodeValue(encodeURIComponent(`s:${sid}.${sig}`));
    expect(layers.map((l) => [l.encoding, l.depth])).toContainEqual(["url", 1]);
    const signed = layers.find((l) => l.encoding === "cookie-signature");
    expect(signed?.depth).toBe(2);
    expect(signed?.text).toBe(sid);
    expect(signed?.signed?.scheme).toBe("express");
    expect(signed?.signed?.signature).toBe(sig);
  });

  it("reads Flask (itsdangerous) cookies, compressed or not", () => {
    const stamp = b64url(Buffer.from([0x65, 0x00, 0x00, 0x01]));
    const plain = `${b64url(JSON.stringify({ user_id: 7 }))}.${stamp}.${b64url(randomBytes(20))}`;
    const [layer] = decodeValue(plain);
    expect(layer?.encoding).toBe("signed");
    expect(layer?.signed?.scheme).toBe("itsdangerous");
    expect(layer?.signed?.timestamp).toBe(0x65000001);
    expect(layer?.json).toEqual({ user_id: 7 });

    const zipped = `.${b64url(deflateSync(JSON.stringify({ role: "admin" })))}.${stamp}.${b64url(randomBytes(20))}`;
    const [z] = decodeValue(zipped);
    expect(z?.json).toEqual({ role: "admin" });
    expect(z?.signed?.signingInput.startsWith(".")).toBe(true);
  });

  it("reads Rails signed cookies (payload--digest)", () => {
    const payload = Buffer.from(JSON.stringify({ session_id: "abc", email: "a@example.com" })).toString("base64");
    const digest = createHmac("sha1", "k").update(payload).digest("hex");
    const layers = decodeValue(`${encodeURIComponent(payload)}--${digest}`);
    expect(layers[0]?.encoding).toBe("url");
    const layer = layers.find((l) => l.encoding === "signed");
    expect(layer?.depth).toBe(2);
    expect(layer?.signed?.scheme).toBe("rails");
    expect(layer?.json).toEqual({ session_id: "abc", email: "a@example.com" });
    expect(findSensitiveFields(layer?.json)).toContainEqual({ path: "email", kind: "email" });
  });

  it("nests: hex of base64 of JSON", () => {
    const inner = Buffer.from('{"username":"bob"}').toString("base64");
    const layers = decodeValue(Buffer.from(inner).toString("hex"));
    const json = layers.find((l) => l.json !== undefined);
    expect(json?.depth).toBe(2);
    expect(layers[json?.parent ?? -1]?.encoding).toBe("hex");
  });

  it("reports random tokens as binary, without fanning out", () => {
    const layers = decodeValue(randomBytes(32).toString("base64url"));
    expect(layers).toHaveLength(1);
    expect(layers[0]?.printable).toBe(false);
    expect(decodeValue(randomBytes(16).toString("hex"))[0]?.encoding).toBe("hex");
  });

  it("recognises serialised objects by their magic bytes", () => {
    const java = Buffer.from([0xac, 0xed, 0x00, 0x05, 0x73, 0x72]).toString("base64");
    expect(decodeValue(java)[0]?.format).toBe("java-serialized");
    expect(decodeValue(Buffer.from('a:1:{s:4:"user";s:5:"alice";}').toString("base64"))[0]?.format).toBe(
      "php-serialized",
    );
  });
});

describe("findSensitiveFields", () => {
  it("walks nested objects and arrays and spots e-mail values", () => {
    const fields = findSensitiveFields({
      account: { isAdmin: true, contact: "eve@example.org" },
      roles: ["user"],
      expiresAt: "2030-01-01",
      theme: "dark",
    });
    expect(fields).toEqual([
      { path: "account", kind: "user" },
      { path: "account.isAdmin", kind: "admin-flag" },
      { path: "account.contact", kind: "email" },
      { path: "roles", kind: "role" },
      { path: "expiresAt", kind: "expiry" },
    ]);
  });
});
