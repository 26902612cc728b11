import { fromBase64Url, toBase64Url, utf8 } from "./encoding.js";
import type { LoadedKeyRing } from "./key-ring.js";

const IV_BYTES = 12;
const decoder = new TextDecoder();

/**
 * Encrypts `plaintext` with AES-256-GCM under the ring's current key (SPEC L3).
 * The envelope is `<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>`; `aad` binds it
 * to one session so an envelope copied to another record does not open.
 */
export async function seal(ring: LoadedKeyRing, plaintext: string, aad: string): Promise<string> {
  const iv = new Uint8Array(IV_BYTES);
  crypto.getRandomValues(iv);
  if (ring.native !== null) {
    const sealed = ring.native.encrypt(ring.current.raw, iv, utf8(plaintext), utf8(aad));
    const out = new Uint8Array(IV_BYTES + sealed.length);
    out.set(iv, 0);
    out.set(sealed, IV_BYTES);
    return `${ring.current.id}.${toBase64Url(out)}`;
  }
  const cipher = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: utf8(aad) },
    ring.current.key,
    utf8(plaintext),
  );
  const out = new Uint8Array(IV_BYTES + cipher.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(cipher), IV_BYTES);
  return `${ring.current.id}.${toBase64Url(out)}`;
}

/**
 * Decrypts an envelope made by {@link seal} with whichever key of the ring
 * made it. Returns `null` for an unknown key id, a tampered envelope or a
 * wrong `aad`; it never throws on bad input.
 */
export async function open(ring: LoadedKeyRing, envelope: string, aad: string): Promise<string | null> {
  const dot = envelope.indexOf(".");
  if (dot < 1) return null;
  const key = ring.byId.get(envelope.slice(0, dot));
  const bytes = fromBase64Url(envelope.slice(dot + 1));
  if (key === undefined || bytes === null || bytes.length < IV_BYTES + 16) return null;
  if (ring.native !== null) {
    const plain = ring.native.decrypt(key.raw, bytes.subarray(0, IV_BYTES), bytes.subarray(IV_BYTES), utf8(aad));
    return plain === null ? null : decoder.decode(plain);
  }
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.slice(0, IV_BYTES), additionalData: utf8(aad) },
      key.key,
      bytes.slice(IV_BYTES),
    );
    return decoder.decode(plain);
  } catch {
    return null;
  }
}

/** The key id an envelope was sealed with, or `null` if it has none. */
export function envelopeKeyId(envelope: string): string | null {
  const dot = envelope.indexOf(".");
  return dot < 1 ? null : envelope.slice(0, dot);
}
