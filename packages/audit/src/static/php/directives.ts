import type { Severity } from "../../report/model.js";
import { iniTrue } from "./ini.js";

/** A session directive the PHP checks judge, with PHP 8.2's default (`php -r 'var_export(ini_get_all("session"));'`). */
export interface DirectiveRule {
  readonly key: string;
  readonly defaultValue: string;
  readonly id: string;
  readonly severity: Severity;
  /** Why the effective value is a flaw, or undefined when it is fine. */
  judge(value: string): string | undefined;
  readonly fix: string;
}

const seconds = (v: string): number => Number.parseInt(v, 10) || 0;

/** Session directives and how each is judged; the policy limits are SPEC §2.2's defaults (30 min idle). */
export const DIRECTIVES: readonly DirectiveRule[] = [
  {
    key: "session.use_strict_mode",
    defaultValue: "0",
    id: "id-adoption",
    severity: "high",
    judge: (v) =>
      iniTrue(v) ? undefined : "session.use_strict_mode is off: PHP adopts any session id a client sends (fixation).",
    fix: "session.use_strict_mode = 1",
  },
  {
    key: "session.use_only_cookies",
    defaultValue: "1",
    id: "id-in-url",
    severity: "high",
    judge: (v) =>
      iniTrue(v) ? undefined : "session.use_only_cookies is off: PHP accepts the session id from the URL.",
    fix: "session.use_only_cookies = 1",
  },
  {
    key: "session.use_trans_sid",
    defaultValue: "0",
    id: "id-in-url",
    severity: "high",
    judge: (v) =>
      iniTrue(v) ? "session.use_trans_sid is on: PHP writes the session id into links and forms." : undefined,
    fix: "session.use_trans_sid = 0",
  },
  {
    key: "session.cookie_secure",
    defaultValue: "0",
    id: "cookie-secure",
    severity: "medium",
    judge: (v) =>
      iniTrue(v)
        ? undefined
        : "session.cookie_secure is off (PHP's default): the session cookie is sent over plain HTTP.",
    fix: "session.cookie_secure = 1",
  },
  {
    key: "session.cookie_httponly",
    defaultValue: "0",
    id: "cookie-httponly",
    severity: "medium",
    judge: (v) =>
      iniTrue(v) ? undefined : "session.cookie_httponly is off (PHP's default): scripts can read the session cookie.",
    fix: "session.cookie_httponly = 1",
  },
  {
    key: "session.cookie_samesite",
    defaultValue: "",
    id: "cookie-samesite",
    severity: "low",
    judge: (v) =>
      /^(lax|strict)$/i.test(v.trim())
        ? undefined
        : `session.cookie_samesite is ${v.trim() === "" ? "empty (PHP's default)" : `"${v}"`}: the cookie goes with cross-site requests.`,
    fix: "session.cookie_samesite = Lax",
  },
  {
    key: "session.gc_maxlifetime",
    defaultValue: "1440",
    id: "idle-timeout",
    severity: "medium",
    judge: (v) =>
      seconds(v) > 1800
        ? `session.gc_maxlifetime is ${seconds(v)} s: idle sessions live longer than 30 minutes.`
        : undefined,
    fix: "session.gc_maxlifetime = 1800",
  },
  {
    key: "session.cookie_lifetime",
    defaultValue: "0",
    id: "cookie-persistent",
    severity: "low",
    judge: (v) =>
      seconds(v) > 1800
        ? `session.cookie_lifetime is ${seconds(v)} s: the session cookie stays on disk beyond the 30-minute idle limit.`
        : undefined,
    fix: "session.cookie_lifetime = 0",
  },
];

/** `sid_length` × `sid_bits_per_character` below 128 bits (PHP 8.2 defaults: 32 × 4 = 128). */
export const SID_BITS = {
  id: "token-length",
  severity: "medium" as Severity,
  keys: ["session.sid_length", "session.sid_bits_per_character"] as const,
  defaults: { "session.sid_length": "32", "session.sid_bits_per_character": "4" } as Record<string, string>,
  fix: "session.sid_length = 48\nsession.sid_bits_per_character = 6",
};
