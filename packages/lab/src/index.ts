/**
 * The sessionguard lab: a local target for the auditor and the demo (SPEC §4).
 * @packageDocumentation
 */
export { LabUsageError } from "./errors.js";
export { type LabOptions, type RunningLab, startLab } from "./server.js";
export { DEMO_USERS } from "./users.js";
