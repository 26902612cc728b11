/**
 * sessionguard — secure-by-default server-side sessions.
 *
 * The core speaks Web-standard types only (WebCrypto, `Uint8Array`), imports
 * no framework and no store driver; stores and adapters are subpath exports,
 * and low-level helpers (token hashing, durations, IP networks, the Node
 * response hook) live in `sessionguard/utils`.
 * @packageDocumentation
 */
export type { Clock } from "./core/clock.js";
export type { CookieSettings } from "./core/cookie.js";
export { checkRequestOrigin, type HeaderReader, type OriginCheck } from "./core/csrf.js";
export type { Duration } from "./core/duration.js";
export {
  isSessionError,
  SESSION_ERROR_CODES,
  SessionError,
  type SessionErrorCode,
  type SessionErrorDetails,
  type SessionErrorDetailsByCode,
  type SessionErrorOptions,
} from "./core/errors.js";
export {
  jsonLinesLogger,
  SESSION_EVENT_TYPES,
  type SessionEvent,
  type SessionEventListener,
  type SessionEventType,
} from "./core/events.js";
export { generateKey } from "./core/generate-key.js";
export { KEY_BYTES, type KeyInput } from "./core/key-ring.js";
export {
  type RequestFacts,
  type ResponseFacts,
  type SessionInfo,
  SessionManager,
} from "./core/manager.js";
export type {
  BindingOptions,
  CookieOptions,
  RotationOptions,
  SessionManagerOptions,
} from "./core/options.js";
export { type RegenerateOptions, Session } from "./core/session.js";
export {
  type CreateResult,
  EXPIRED_RETENTION,
  type SessionLimit,
  type SessionLimitPolicy,
  type SessionMeta,
  type SessionRecord,
  type SessionStore,
} from "./core/store.js";
