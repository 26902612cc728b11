/**
 * Low-level building blocks of sessionguard, for people who write a store,
 * an adapter or a tool around the library. Applications do not need them:
 * the {@link SessionManager} and the adapters use them internally.
 *
 * ```ts
 * import { hashToken, parseDuration } from "sessionguard/utils";
 * ```
 *
 * @packageDocumentation
 */

/**
 * Patches a Node `ServerResponse` so a session is committed before the
 * response ends and its headers are set exactly once (used by the
 * `node:http` and Express adapters).
 */
export { hookResponse } from "./adapters/lib/hook-response.js";
/**
 * Parses a duration (milliseconds, or a string such as `"500ms"`, `"30s"`,
 * `"30m"`, `"12h"`, `"7d"`) into milliseconds; `ERR_CONFIG` names the option
 * when the value is not a positive duration.
 */
export { parseDuration } from "./core/duration.js";
/**
 * The network of an IP address (default IPv4 /24, IPv6 /48), as used by the
 * `ipNetwork` binding check; `null` for an unparseable address.
 */
export { ipNetwork } from "./core/ip-network.js";
/**
 * Token primitives: `generateToken` (32 CSPRNG bytes, base64url),
 * `hashToken` (the store key: SHA-256, base64url), `isWellFormedToken`, and
 * the token sizes.
 */
export { generateToken, hashToken, isWellFormedToken, TOKEN_BYTES, TOKEN_LENGTH } from "./core/token.js";
