import { z } from "zod";
import { parseDurationMs } from "./duration.js";
import { UnsupportedRegexError, UserRegex } from "./user-regex.js";

const duration = z.string().refine((v) => parseDurationMs(v) !== null, {
  message: 'must be a duration like "20s", "5m" or "12h", at most 366d',
});

const formBody = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

// Patterns run on RE2 (linear time): a pattern RE2 cannot run is refused here, with the reason and the fix.
const regex = z.string().superRefine((source, ctx) => {
  try {
    UserRegex.compile(source);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: error instanceof UnsupportedRegexError ? error.message : "must be a valid regular expression",
    });
  }
});

/** The configuration file schema (SPEC §2.2, CONTRACT). Unknown keys are errors: a typo must not pass silently. */
export const configSchema = z
  .object({
    target: z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }).optional(),
    sessionCookie: z.string().min(1).optional(),
    login: z
      .object({
        url: z.string().min(1),
        method: z.enum(["POST", "GET", "PUT"]).default("POST"),
        form: formBody.optional(),
        json: z.unknown().optional(),
        csrf: z.union([z.literal("auto"), z.literal("off")]).default("auto"),
      })
      .strict()
      .refine((l) => l.form !== undefined || l.json !== undefined, {
        message: 'needs "form" or "json" with the credentials',
      })
      .optional(),
    authCheck: z
      .object({ url: z.string().min(1), loggedIn: regex, loggedOut: regex.optional() })
      .strict()
      .optional(),
    logout: z
      .object({ url: z.string().min(1), method: z.enum(["POST", "GET", "DELETE"]).default("POST") })
      .strict()
      .optional(),
    passwordChange: z
      .object({
        url: z.string().min(1),
        method: z.enum(["POST", "PUT", "PATCH"]).default("POST"),
        form: formBody.optional(),
        json: z.unknown().optional(),
        revert: z.object({ form: formBody.optional(), json: z.unknown().optional() }).strict(),
      })
      .strict()
      .optional(),
    tokenSource: z
      .object({
        url: z.string().min(1).default("/"),
        method: z.enum(["GET", "POST"]).default("GET"),
        cookie: z.string().min(1).optional(),
        form: formBody.optional(),
        json: z.unknown().optional(),
        jar: z.enum(["fresh", "keep"]).default("fresh"),
      })
      .strict()
      .optional(),
    policy: z
      .object({
        maxIdle: duration.default("30m"),
        maxAbsolute: duration.default("12h"),
        minEntropyBits: z.number().int().min(1).max(4096).default(64),
        maxConcurrentSessions: z.number().int().min(1).nullable().default(null),
      })
      .strict()
      .default({ maxIdle: "30m", maxAbsolute: "12h", minEntropyBits: 64, maxConcurrentSessions: null }),
    budget: z
      .object({
        maxRequests: z.number().int().min(10).max(10_000_000).default(30_000),
        rate: z.number().min(0.1).max(10_000).default(200),
        maxDuration: duration.default("15m"),
      })
      .strict()
      .default({ maxRequests: 30_000, rate: 200, maxDuration: "15m" }),
  })
  .strict()
  .refine((c) => c.login === undefined || c.authCheck !== undefined, {
    message: '"authCheck" is required with "login": it tells an authenticated response from an anonymous one',
    path: ["authCheck"],
  });

/** The configuration as written (after defaults). */
export type ConfigFile = z.infer<typeof configSchema>;
