import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPath, maskClaims, PROBE_USER, setPath, tamperPlans } from "../src/checks/state/claims.js";
import { findClientState, findJwtCookies, findSignedCookies, tryKey } from "../src/checks/state/client-state.js";
import {
  hmacAlgorithm,
  jwsHmac,
  parseJwt,
  resealWithOriginalSignature,
  signJwt,
  unsignedJwt,
  verifyJwtHmac,
} from "../src/checks/state/jwt.js";
import { chainTo, rebuild, type Signer } from "../src/checks/state/rebuild.js";
import { hmacSignature, keygripData, matchSecret, variantsFor } from "../src/checks/state/signed-cookie.js";
import { describeKey, findSecret, maskSecret, targetWords, WEAK_SECRETS } from "../src/checks/state/wordlist.js";
import { CookieJar } from "../src/http/cookie-jar.js";
import { decodeValue, findSensitiveFields } from "../src/tokens/decode.js";

/** The sample token jwt.io shows, signed with `your-256-bit-secret`. */
const JWT_IO =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
/** flask-unsign's README example, signed with `CHANGEME`. */
const FLASK = "eyJsb2dnZWRfaW4iOmZhbHNlfQ.XDuWxQ.E2Pyb6x3w-NODuflHoGnZOEpbH8";

function jar(cookies: Record<string, string>): CookieJar {
  const j = new CookieJar();
  for (const [name, value] of Object.entries(cookies)) j.set(name, value);
  return j;
}

/** Decodes `value` and returns the first JSON the decoder finds with the chain leading to it. */
function firstJson(value: string): { json: unknown; chain: ReturnType<typeof chainTo> } {
  const layers = decodeValue(value);
  const index = layers.findIndex((l) => l.json !== undefined);
  expect(index).toBeGreaterThanOrEqual(0);
  return { json: layers[index]?.json, chain: chainTo(layers, index) };
}

function signer(sign: (data: string) => string): Signer {
  return { sign, js: "(p)=>p" };
}

describe("jwt", () => {
  it("verifies the jwt.io sample with your-256-bit-secret and nothing else", () => {
    const jwt = parseJwt(JWT_IO);
    expect(jwt?.payload).toEqual({ sub: "1234567890", name: "John Doe", iat: 1516239022 });
    expect(jwt && hmacAlgorithm(jwt)).toBe("HS256");
    expect(jwt && verifyJwtHmac(jwt, "your-256-bit-secret")).toBe(true);
    expect(jwt && verifyJwtHmac(jwt, "your-256-bit-secreT")).toBe(false);
  });

  it("round-trips HS256, HS384 and HS512", () => {
    for (const alg of ["HS256", "HS384", "HS512"] as const) {
      const token = signJwt({ typ: "JWT", kid: "k1" }, { sub: "alice", role: "user" }, alg, "k3y");
      const jwt = parseJwt(token);
      expect(jwt?.header).toEqual({ typ: "JWT", kid: "k1", alg });
      expect(jwt && verifyJwtHmac(jwt, "k3y")).toBe(true);
      expect(jwt && verifyJwtHmac(jwt, "other")).toBe(false);
    }
  });

  it("builds unsigned tokens with an empty signature and keeps signatures when resealing", () => {
    const none = unsignedJwt({ sub: "x" }, "NONE");
    expect(none.endsWith(".")).toBe(true);
    expect(parseJwt(none)?.header).toEqual({ alg: "NONE", typ: "JWT" });
    const original = parseJwt(JWT_IO);
    if (original === null) throw new Error("unparsed");
    const resealed = resealWithOriginalSignature(original, { sub: "evil" });
    expect(resealed.split(".")[2]).toBe(original.signature);
    expect(parseJwt(resealed)?.payload).toEqual({ sub: "evil" });
  });

  it("rejects values that are not JWTs", () => {
    for (const value of ["abc", "a.b.c", "eyJhIjoxfQ.eyJhIjoxfQ.sig", "x.y"]) expect(parseJwt(value)).toBeNull();
  });
});

describe("signed-cookie", () => {
  it("reproduces the cookie-signature test vector", () => {
    const variants = variantsFor("DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI", "express");
    expect(variants[0]).toEqual({ digest: "sha256", encoding: "base64", derivation: "plain" });
    expect(
      matchSecret("hello", "DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI", variants, "tobiiscool")?.variant.digest,
    ).toBe("sha256");
    expect(matchSecret("hello", "DGDUkGlIkCzPz+C0B064FNgHdEjox7ch8tOBGslZ5QI", variants, "tobiiscoo1")).toBeNull();
  });

  it("reproduces Flask's derived-key signature (flask-unsign's example)", () => {
    const variants = variantsFor("E2Pyb6x3w-NODuflHoGnZOEpbH8", "itsdangerous");
    const key = matchSecret("eyJsb2dnZWRfaW4iOmZhbHNlfQ.XDuWxQ", "E2Pyb6x3w-NODuflHoGnZOEpbH8", variants, "CHANGEME");
    expect(key?.variant).toEqual({ digest: "sha1", encoding: "base64url", derivation: "itsdangerous" });
  });

  it("offers variants by length and alphabet", () => {
    const hexSha1 = createHmac("sha1", "k").update("d").digest("hex");
    expect(variantsFor(hexSha1).map((v) => `${v.digest}/${v.encoding}`)).toContain("sha1/hex");
    expect(variantsFor(hexSha1.toUpperCase()).map((v) => v.encoding)).toContain("hex-upper");
    expect(variantsFor(createHmac("sha512", "k").update("d").digest("base64")).map((v) => v.digest)).toContain(
      "sha512",
    );
    expect(variantsFor("short")).toEqual([]);
    for (const variant of variantsFor(createHmac("sha256", "k").update("d").digest("base64url"))) {
      const sig = hmacSignature(variant, "k", "d");
      expect(variantsFor(sig)).toContainEqual(variant);
    }
  });

  it("signs keygrip companions over name=value", () => {
    expect(keygripData("session", "abc")).toBe("session=abc");
  });
});

describe("wordlist", () => {
  it("bundles about 300 distinct common keys including the classics", () => {
    expect(WEAK_SECRETS.length).toBeGreaterThanOrEqual(250);
    expect(WEAK_SECRETS.length).toBeLessThanOrEqual(600);
    expect(new Set(WEAK_SECRETS).size).toBe(WEAK_SECRETS.length);
    for (const word of [
      "secret",
      "keyboard cat",
      "changeme",
      "your-256-bit-secret",
      "secretkey",
      "password",
      "CHANGEME",
    ]) {
      expect(WEAK_SECRETS).toContain(word);
    }
  });

  it("finds a key with a bounded number of trials", () => {
    let calls = 0;
    const found = findSecret((s) => {
      calls++;
      return s === "keyboard cat";
    });
    expect(found).toMatchObject({ secret: "keyboard cat", source: "the bundled wordlist" });
    expect(calls).toBe(found?.tried);
    calls = 0;
    const extra = Array.from({ length: 1000 }, (_, i) => `x${i}`);
    expect(
      findSecret(() => {
        calls++;
        return false;
      }, extra),
    ).toBeNull();
    expect(calls).toBe(WEAK_SECRETS.length + 200);
  });

  it("derives a few candidates from the target's names", () => {
    const words = targetWords("shop.example.com", ["shop_session"]);
    expect(words).toContain("shop-secret");
    expect(words).toContain("shop_session");
    expect(words).not.toContain("secret");
  });

  it("never shows a key in full", () => {
    expect(maskSecret("secret")).toBe("s***t (6 chars)");
    expect(maskSecret("abc")).toBe("*** (3 chars)");
    expect(maskSecret("")).toBe("the empty string");
    const text = describeKey({ secret: "keyboard cat", source: "the bundled wordlist", tried: 2 });
    expect(text).toBe("k***t (12 chars, from the bundled wordlist)");
    expect(text).not.toContain("keyboard");
  });
});

describe("claims", () => {
  it("sets paths on a copy", () => {
    const claims = { user: { name: "alice", roles: ["user"] } };
    const changed = setPath(claims, "user.roles[0]", "admin");
    expect(getPath(changed, "user.roles[0]")).toBe("admin");
    expect(claims.user.roles[0]).toBe("user");
  });

  it("plans an identity probe and a privilege raise", () => {
    const claims = { sub: "alice", email: "alice@example.com", role: "user", is_admin: false, uid: 7 };
    const plans = tamperPlans(claims, findSensitiveFields(claims));
    const identity = plans.find((p) => p.kind === "identity");
    expect(identity?.claims).toMatchObject({ sub: PROBE_USER, email: `${PROBE_USER}@example.com`, uid: 7 });
    expect(identity?.renamed).toContainEqual(["alice", PROBE_USER]);
    expect(plans.find((p) => p.kind === "privilege")?.claims).toMatchObject({ role: "admin", is_admin: true });
    expect(tamperPlans({ role: "admin" }, findSensitiveFields({ role: "admin" }))).toEqual([]);
  });

  it("masks secrets and opaque values but keeps identity readable", () => {
    expect(maskClaims({ user: "alice", csrf: "abc", sid: "A".repeat(32), exp: 1 })).toEqual({
      user: "alice",
      csrf: "<MASKED>",
      sid: "<MASKED>",
      exp: 1,
    });
  });
});

describe("rebuild", () => {
  const tampered = { user: PROBE_USER, role: "admin" };

  it("re-encodes URL-encoded base64 JSON the way it came", () => {
    const original = encodeURIComponent(Buffer.from(JSON.stringify({ user: "alice", role: "us" })).toString("base64"));
    const { chain } = firstJson(original);
    expect(chain.map((l) => l.encoding)).toEqual(["url", "base64"]);
    // 37 bytes of JSON need "==" padding, which the URL layer must escape as the server did.
    const claims = { user: PROBE_USER, role: "adm" };
    const rebuilt = rebuild(chain, claims, { signature: { mode: "keep" } });
    expect(rebuilt?.value.endsWith("%3D%3D")).toBe(true);
    expect(firstJson(rebuilt?.value ?? "").json).toEqual(claims);
  });

  it("re-signs an express cookie-signature value", () => {
    const sign = (p: string): string =>
      createHmac("sha256", "keyboard cat").update(p).digest("base64").replace(/=+$/, "");
    const payload = Buffer.from(JSON.stringify({ user: "alice" })).toString("base64url");
    const original = encodeURIComponent(`s:${payload}.${sign(payload)}`);
    const { chain } = firstJson(original);
    const rebuilt = rebuild(chain, tampered, { signature: { mode: "sign", signer: signer(sign) } });
    const text = decodeURIComponent(rebuilt?.value ?? "");
    const [, newPayload = "", sig] = /^s:(.+)\.([^.]+)$/.exec(text) ?? [];
    expect(sig).toBe(sign(newPayload));
    expect(JSON.parse(Buffer.from(newPayload, "base64").toString())).toEqual(tampered);
    const kept = rebuild(chain, tampered, { signature: { mode: "keep" } });
    expect(decodeURIComponent(kept?.value ?? "").endsWith(`.${sign(payload)}`)).toBe(true);
  });

  it("rebuilds JWTs unsigned, kept or re-signed", () => {
    const layers = decodeValue(JWT_IO);
    const chain = chainTo(
      layers,
      layers.findIndex((l) => l.encoding === "jwt"),
    );
    const none = rebuild(
      chain,
      { sub: PROBE_USER },
      { signature: { mode: "empty" }, jwtHeader: { alg: "none", typ: "JWT" } },
    );
    expect(none?.value.endsWith(".")).toBe(true);
    expect(parseJwt(none?.value ?? "")?.header["alg"]).toBe("none");
    const sign = (p: string): string => jwsHmac("HS256", "k", p);
    const signed = parseJwt(
      rebuild(chain, { sub: PROBE_USER }, { signature: { mode: "sign", signer: signer(sign) } })?.value ?? "",
    );
    expect(signed && verifyJwtHmac(signed, "k")).toBe(true);
    expect(signed?.payload).toEqual({ sub: PROBE_USER });
    // The recipe is runnable JavaScript and carries no live signature.
    const recipe = rebuild(chain, { sub: PROBE_USER }, { signature: { mode: "keep" } })?.recipe ?? "";
    expect(recipe).toContain("<ORIGINAL_SIGNATURE>");
    expect(recipe).not.toContain("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    const logged: string[] = [];
    new Function("console", "Buffer", "require", recipe)({ log: (v: string) => logged.push(v) }, Buffer, () => ({}));
    expect(logged[0]?.endsWith(".<ORIGINAL_SIGNATURE>")).toBe(true);
  });

  it("forges a Flask session once the key is recovered", () => {
    const signed = findSignedCookies(jar({ session: FLASK }), "session");
    expect(signed).toHaveLength(1);
    const cookie = signed[0];
    if (cookie === undefined) throw new Error("not found");
    expect(cookie.scheme).toBe("itsdangerous");
    const found = findSecret((s) => tryKey(cookie, s) !== null);
    expect(found?.secret).toBe("CHANGEME");
    const key = tryKey(cookie, "CHANGEME");
    if (key === null) throw new Error("no key");
    const { chain } = firstJson(FLASK);
    const forged =
      rebuild(chain, { logged_in: true }, { signature: { mode: "sign", signer: key.signer } })?.value ?? "";
    const again = findSignedCookies(jar({ session: forged }), "session")[0];
    expect(again && tryKey(again, "CHANGEME")).not.toBeNull();
    expect(firstJson(forged).json).toEqual({ logged_in: true });
  });

  it("re-encodes hex and j: JSON cookies", () => {
    const hex = Buffer.from(JSON.stringify({ user: "alice" })).toString("hex");
    expect(
      firstJson(rebuild(firstJson(hex).chain, tampered, { signature: { mode: "keep" } })?.value ?? "").json,
    ).toEqual(tampered);
    const j = `j:${JSON.stringify({ user: "alice" })}`;
    expect(rebuild(firstJson(j).chain, tampered, { signature: { mode: "keep" } })?.value).toBe(
      `j:${JSON.stringify(tampered)}`,
    );
  });
});

describe("client-state", () => {
  it("finds readable state in any cookie and describes its protection", () => {
    const sign = (p: string): string => createHmac("sha256", "x").update(p).digest("base64").replace(/=+$/, "");
    const payload = Buffer.from(JSON.stringify({ user: "alice" })).toString("base64url");
    const found = findClientState(
      jar({
        sid: "b6d767d2f8ed5d21a44b0e5886680cb9",
        prefs: Buffer.from(JSON.stringify({ theme: "dark" })).toString("base64"),
        profile: Buffer.from(JSON.stringify({ username: "alice", role: "user" })).toString("base64"),
        signed: encodeURIComponent(`s:${payload}.${sign(payload)}`),
        jwt: JWT_IO,
      }),
      "sid",
    );
    expect(found.map((s) => [s.name, s.protection.kind])).toEqual([
      ["profile", "unsigned"],
      ["signed", "hmac"],
      ["jwt", "jwt"],
    ]);
  });

  it("treats a keygrip companion as a signature and folds it into its cookie", () => {
    const value = Buffer.from(JSON.stringify({ user: "alice" })).toString("base64");
    const sig = createHmac("sha1", "keyboard cat").update(`session=${value}`).digest("base64url");
    const cookies = jar({ session: value, "session.sig": sig });
    expect(findClientState(cookies, "session")[0]?.protection).toEqual({ kind: "hmac", scheme: "keygrip" });
    const signed = findSignedCookies(cookies, "session");
    expect(signed.map((s) => s.name)).toEqual(["session"]);
    const first = signed[0];
    expect(first && findSecret((s) => tryKey(first, s) !== null)?.secret).toBe("keyboard cat");
  });

  it("lists JWT cookies even without identity claims, and nothing for opaque ids", () => {
    const token = signJwt({ typ: "JWT" }, { jti: "1" }, "HS256", "k");
    expect(findJwtCookies(jar({ t: token, sid: "abc" }), "sid").map((j) => j.name)).toEqual(["t"]);
    expect(findSignedCookies(jar({ sid: "b6d767d2f8ed5d21a44b0e5886680cb9" }), "sid")).toEqual([]);
    expect(findClientState(jar({ sid: "b6d767d2f8ed5d21a44b0e5886680cb9" }), "sid")).toEqual([]);
  });
});
