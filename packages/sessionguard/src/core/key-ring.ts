import { fromBase64Url, fromHex, toBase64Url, utf8 } from "./encoding.js";
import { SessionError } from "./errors.js";
import { loadNativeCrypto, type NativeCrypto } from "./lib/native-crypto.js";

/**
 * An encryption key: 32 random bytes, given as a `Uint8Array`, a base64url or
 * base64 string (43/44 characters) or a hex string (64 characters).
 */
export type KeyInput = string | Uint8Array;

/** Length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;

const GENERATE_HINT =
  "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

interface ImportedKey {
  readonly id: string;
  readonly key: CryptoKey;
  /** The raw key, for the synchronous `node:crypto` path. */
  readonly raw: Uint8Array<ArrayBuffer>;
}

/** Imported keys, ready for sealing; created once per manager (no per-request key derivation). */
export interface LoadedKeyRing {
  readonly current: ImportedKey;
  readonly byId: ReadonlyMap<string, ImportedKey>;
  /** Salt for the public session ids in events and logs (SPEC L12). */
  readonly eventSalt: Uint8Array<ArrayBuffer>;
  /** Synchronous primitives when the runtime has `node:crypto`; `null` means WebCrypto only. */
  readonly native: NativeCrypto | null;
}

function distinct(values: ArrayLike<number | string>): number {
  return new Set(Array.from(values)).size;
}

/**
 * Decodes and checks one key (SPEC L15): exactly 32 bytes, and not a
 * passphrase or a repeated pattern dressed up as one.
 * @throws SessionError `ERR_WEAK_KEY` with the index of the key and what to change
 */
export function decodeKey(input: KeyInput | undefined, index: number): Uint8Array<ArrayBuffer> {
  const where = `keys[${index}]`;
  let bytes: Uint8Array | null = null;
  if (input === undefined || input === "") {
    throw new SessionError(
      "ERR_WEAK_KEY",
      `${where} is missing (undefined or empty): is the environment variable that holds it set? ${GENERATE_HINT}`,
    );
  }
  if (input instanceof Uint8Array) {
    bytes = input;
  } else if (typeof input === "string") {
    const text = input.trim();
    if (/^[0-9a-fA-F]{64}$/.test(text)) {
      if (distinct(text.toLowerCase()) < 10) {
        throw new SessionError(
          "ERR_WEAK_KEY",
          `${where} is not random (too few distinct hex digits); ${GENERATE_HINT}`,
        );
      }
      bytes = fromHex(text);
    } else if (text.length === 43 || text.length === 44) {
      if (distinct(text) < 16) {
        throw new SessionError(
          "ERR_WEAK_KEY",
          `${where} is not random (too few distinct characters); ${GENERATE_HINT}`,
        );
      }
      bytes = fromBase64Url(text);
    }
  } else {
    throw new SessionError("ERR_WEAK_KEY", `${where} must be a string or a Uint8Array; ${GENERATE_HINT}`);
  }
  if (bytes === null || bytes.length !== KEY_BYTES) {
    throw new SessionError(
      "ERR_WEAK_KEY",
      `${where} must be 32 random bytes, encoded as base64url (43 characters) or hex (64 characters); ${GENERATE_HINT}`,
    );
  }
  if (distinct(bytes) < 12) {
    throw new SessionError("ERR_WEAK_KEY", `${where} is not random (too few distinct byte values); ${GENERATE_HINT}`);
  }
  return new Uint8Array(bytes);
}

/**
 * Validates a key ring `[current, ...previous]` synchronously (construction
 * time) and returns a loader that imports the keys once on first use.
 * @throws SessionError `ERR_WEAK_KEY` for a missing, weak or repeated key
 */
export function prepareKeyRing(
  keys: readonly (KeyInput | undefined)[] | undefined,
  options: { readonly native?: boolean } = {},
): () => Promise<LoadedKeyRing> {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new SessionError(
      "ERR_WEAK_KEY",
      `keys is required: pass keys: [currentKey, ...previousKeys] with 32 random bytes each; ${GENERATE_HINT}`,
    );
  }
  const raw = keys.map((key, index) => decodeKey(key, index));
  const seen = new Set<string>();
  raw.forEach((bytes, index) => {
    const id = toBase64Url(bytes);
    if (seen.has(id))
      throw new SessionError("ERR_WEAK_KEY", `keys[${index}] repeats an earlier key; remove the duplicate`);
    seen.add(id);
  });
  let loading: Promise<LoadedKeyRing> | undefined;
  return () => {
    loading ??= loadKeys(raw, options.native ?? true);
    return loading;
  };
}

async function loadKeys(raw: readonly Uint8Array<ArrayBuffer>[], native: boolean): Promise<LoadedKeyRing> {
  const imported: ImportedKey[] = [];
  for (const bytes of raw) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const id = toBase64Url(digest).slice(0, 8);
    const key = await crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    imported.push({ id, key, raw: bytes });
  }
  const first = raw[0] as Uint8Array<ArrayBuffer>;
  const saltInput = new Uint8Array([...utf8("sessionguard:event-sid:"), ...first]);
  const eventSalt = new Uint8Array(await crypto.subtle.digest("SHA-256", saltInput));
  return {
    current: imported[0] as ImportedKey,
    byId: new Map(imported.map((k) => [k.id, k])),
    eventSalt,
    native: native ? await loadNativeCrypto() : null,
  };
}
