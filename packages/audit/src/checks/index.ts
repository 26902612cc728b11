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
import { logoutInvalidation } from "./logout-invalidation.js";
import { stateTampering } from "./state-tampering.js";
import { stateWeakKey } from "./state-weak-key.js";
import { tokenChecks } from "./token-check.js";
import { transportCleartext } from "./transport-cleartext.js";
import { transportHsts } from "./transport-hsts.js";
import type { Check } from "./types.js";

/** Every check, one per id of SPEC §2.3. */
export const ALL_CHECKS: readonly Check[] = [
  ...tokenChecks,
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
];
