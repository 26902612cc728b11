import { toBase64Url } from "./encoding.js";
import { KEY_BYTES } from "./key-ring.js";

/**
 * A new random encryption key for the `keys` option: 32 bytes from the
 * platform CSPRNG, base64url (43 characters). Store it as a secret
 * (environment variable, secret manager), never in source control.
 */
export function generateKey(): string {
  const bytes = new Uint8Array(KEY_BYTES);
  crypto.getRandomValues(bytes);
  return toBase64Url(bytes);
}
