/**
 * The sessionguard lab: a local target for the auditor and the demo (SPEC §4).
 * @packageDocumentation
 */
export { LabUsageError } from "./errors.js";
export { JWT_COOKIE, PROFILE_COOKIE, WEAK_SIGNING_KEY } from "./flawed/client-state.js";
export { SECURE_SESSION_COOKIE, sessionCookieName } from "./flawed/cookies.js";
export {
  FLAW_DESCRIPTIONS,
  type FlawSet,
  isPlantableFlaw,
  PLANTABLE_FLAWS,
  type PlantableFlaw,
  parseFlaws,
  TOKEN_FLAW_PRECEDENCE,
  UNPLANTABLE_FLAWS,
  VULNERABLE_MASKED,
} from "./flawed/flaws.js";
export { PREDICTABLE_VARIANTS, type PredictableVariant } from "./flawed/tokens.js";
export { LAB_PROFILES, type LabOptions, type LabProfile, type RunningLab, startLab } from "./server.js";
export { DEMO_USERS } from "./users.js";
