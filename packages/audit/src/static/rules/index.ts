import type { SessionRule } from "../rule.js";
import { codeHardcodedSecret } from "./code-hardcoded-secret.js";
import { codeJwtDecode } from "./code-jwt-decode.js";
import { codeJwtNoAlgorithms } from "./code-jwt-no-algorithms.js";
import { codeMemoryStore } from "./code-memory-store.js";
import { codeSaveUninitialized } from "./code-save-uninitialized.js";
import { cookieHttpOnly } from "./cookie-httponly.js";
import { cookieSameSite } from "./cookie-samesite.js";
import { cookieSecure } from "./cookie-secure.js";
import { credentialChangeInvalidation } from "./credential-change-invalidation.js";
import { fixation } from "./fixation.js";
import { idInUrl } from "./id-in-url.js";
import { idleTimeout } from "./idle-timeout.js";
import { jwtExpiry } from "./jwt-expiry.js";
import { logoutInvalidation } from "./logout-invalidation.js";
import { tokenPredictable } from "./token-predictable.js";

/** Every JS/TS rule, the single registry that `check` and the ESLint plugin both read. */
export const JS_RULES: readonly SessionRule[] = [
  cookieSecure,
  cookieHttpOnly,
  cookieSameSite,
  idleTimeout,
  codeMemoryStore,
  codeSaveUninitialized,
  codeHardcodedSecret,
  fixation,
  logoutInvalidation,
  credentialChangeInvalidation,
  tokenPredictable,
  codeJwtNoAlgorithms,
  jwtExpiry,
  codeJwtDecode,
  idInUrl,
];
