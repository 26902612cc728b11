/**
 * Fix snippets that several checks share. `sessionguard` snippets are
 * complete modules apart from the application's own objects (`app`, `store`,
 * `user`, …): `test/fixes-typecheck.test.ts` compiles every one against the
 * library's real types.
 */
import type { PlatformFix } from "../../report/model.js";

/** A fix for one platform; surrounding blank lines are trimmed. */
export function fix(platform: string, code: string): PlatformFix {
  return { platform, code: code.trim() };
}

/** The imports every sessionguard snippet starts from. */
export const SG_IMPORTS = `
import { SessionManager } from "sessionguard";
import { expressSessions } from "sessionguard/adapters/express";
import { sqliteStore } from "sessionguard/stores/sqlite";`;

// The setup every sessionguard fix starts from; the library's defaults close most rows of SPEC §2.3.
export const SG_SETUP = `${SG_IMPORTS}

const manager = new SessionManager({
  store: sqliteStore({ path: "/var/lib/app/sessions.db" }),
  keys: [process.env.SESSION_KEY], // 32 random bytes, base64url; a missing or weak key is a startup error
});
app.use(expressSessions(manager));`;

/** A sessionguard fix: the shared setup, then `code`. */
export function sessionguardFix(code: string): PlatformFix {
  return fix("sessionguard", `${SG_SETUP}\n${code}`);
}

/**
 * A sessionguard fix that sets options of the manager (one per line; each
 * line is indented as a member of the options object), then `after`.
 */
export function sessionguardOption(optionLines: string, after = ""): PlatformFix {
  const members = optionLines
    .trim()
    .split("\n")
    .map((line) => `  ${line.trim()}`)
    .join("\n");
  return fix(
    "sessionguard",
    `${SG_IMPORTS}

const manager = new SessionManager({
  store: sqliteStore({ path: "/var/lib/app/sessions.db" }),
  keys: [process.env.SESSION_KEY],
${members}
});
app.use(expressSessions(manager));${after === "" ? "" : `\n${after}`}`,
  );
}

export const EXPRESS_GENERATOR = fix(
  "express-session",
  `
import crypto from "node:crypto";
import session from "express-session";

app.use(session({
  secret: process.env.SESSION_SECRET,
  // Best: delete the custom genid; the default draws 24 bytes from the CSPRNG (uid-safe).
  // If ids must be generated here, use 32 CSPRNG bytes; never time, counters, Math.random or user data.
  genid: () => crypto.randomBytes(32).toString("base64url"),
  store, // a production store (Redis, PostgreSQL …), never the default MemoryStore
  resave: false,
  saveUninitialized: false,
}));`,
);

export const PHP_GENERATOR = fix(
  "php",
  `
; php.ini — let PHP generate the id from the OS CSPRNG (PHP >= 7.1) and delete any
; session_id(uniqid()), session_id(md5(...)) or mt_rand()-based id in the code.
session.use_strict_mode = 1
; PHP < 8.4 only (deprecated in 8.4, whose default of 32 chars x 4 bits is 128 bits):
session.sid_length = 48
session.sid_bits_per_character = 6`,
);

export const SG_GENERATOR = sessionguardFix(`
// Tokens are always 32 bytes from crypto.getRandomValues (256 bits, base64url);
// there is no option to shorten them or to supply your own generator in production.`);

export const NGINX_HTTPS = fix(
  "nginx",
  `
server {
  listen 80;
  server_name app.example.com;
  return 308 https://app.example.com$request_uri;   # no session cookie is ever set over HTTP
}
server {
  listen 443 ssl;
  server_name app.example.com;
  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
  # ...
}`,
);
