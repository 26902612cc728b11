/**
 * The check registry: the one list every other list of check ids derives
 * from (the `CheckId` type, result order, SARIF rules, the token analysis,
 * the `tokens` command, the tests). Adding a check means writing its module
 * and naming it here.
 */
import { absoluteTimeout } from "./absolute-timeout.js";
import { cacheSensitive } from "./cache-sensitive.js";
import { concurrentSessions } from "./concurrent-sessions.js";
import { cookieHttpOnly } from "./cookie-httponly.js";
import { cookiePersistent } from "./cookie-persistent.js";
import { cookiePrefix } from "./cookie-prefix.js";
import { cookieSameSite } from "./cookie-samesite.js";
import { cookieScope } from "./cookie-scope.js";
import { cookieSecure } from "./cookie-secure.js";
import { credentialChangeInvalidation } from "./credential-change-invalidation.js";
import { fixation } from "./fixation.js";
import { idAdoption } from "./id-adoption.js";
import { idInUrl } from "./id-in-url.js";
import { idleTimeout } from "./idle-timeout.js";
import { invalidIdThrottling } from "./invalid-id-throttling.js";
import { jwtAlgNone } from "./jwt-alg-none.js";
import { jwtExpiry } from "./jwt-expiry.js";
import { isTokenCheck, type TokenCheck } from "./lib/token-check.js";
import { logoutInvalidation } from "./logout-invalidation.js";
import { stateTampering } from "./state-tampering.js";
import { stateWeakKey } from "./state-weak-key.js";
import { tokenBias } from "./token-bias.js";
import { tokenDecodable } from "./token-decodable.js";
import { tokenDuplicate } from "./token-duplicate.js";
import { tokenEntropy } from "./token-entropy.js";
import { tokenLength } from "./token-length.js";
import { tokenPredictable } from "./token-predictable.js";
import { transportCleartext } from "./transport-cleartext.js";
import { transportHsts } from "./transport-hsts.js";
import type { Check } from "./types.js";

/** Every check, one per id of SPEC §2.3, in the order of the spec's table (the order of results and rules). */
export const ALL_CHECKS = [
  tokenLength,
  tokenEntropy,
  tokenPredictable,
  tokenDuplicate,
  tokenBias,
  tokenDecodable,
  stateTampering,
  stateWeakKey,
  jwtAlgNone,
  jwtExpiry,
  cookieSecure,
  cookieHttpOnly,
  cookieSameSite,
  cookieScope,
  cookiePersistent,
  cookiePrefix,
  transportCleartext,
  transportHsts,
  idInUrl,
  cacheSensitive,
  fixation,
  idAdoption,
  logoutInvalidation,
  credentialChangeInvalidation,
  idleTimeout,
  absoluteTimeout,
  concurrentSessions,
  invalidIdThrottling,
] as const satisfies readonly Check[];

/** Stable check ids (SPEC §2.3, CONTRACT), derived from {@link ALL_CHECKS}. */
export type CheckId = (typeof ALL_CHECKS)[number]["id"];

/** Every check id, in registry order. */
export const CHECK_IDS: readonly CheckId[] = ALL_CHECKS.map((c) => c.id);

/** The checks that judge token measurements (`token-*`), in registry order. */
export const TOKEN_CHECKS: readonly TokenCheck[] = (ALL_CHECKS as readonly Check[]).filter(isTokenCheck);

/** True when `id` is a check id of this version. */
export function isCheckId(id: string): id is CheckId {
  return (CHECK_IDS as readonly string[]).includes(id);
}

export { defineTokenCheck, type TokenCheck, type TokenCheckSpec, tokenVerdict } from "./lib/token-check.js";
export type { CatalogueEntry, Check, CheckOutcome, CheckPhase } from "./types.js";
export { defineCheck, outcome } from "./types.js";
