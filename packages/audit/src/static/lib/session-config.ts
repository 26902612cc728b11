import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";
import { objectOf, programOf, property, resolve, unwrap } from "./ast.js";
import { calledExport } from "./modules.js";

/** Session libraries whose options the rules read. */
export type SessionLibrary =
  | "express-session"
  | "cookie-session"
  | "@fastify/session"
  | "koa-session"
  | "iron-session"
  | "sessionguard";

/**
 * What each library documents as its defaults, and where its options live.
 * Sources: each package's README (express-session: `cookie.secure` default
 * false, `httpOnly` true, no `sameSite`, no `maxAge`, MemoryStore default;
 * cookie-session: `secure` false over HTTP, `httpOnly` true, no `sameSite`,
 * no `maxAge`; @fastify/session: `cookie.secure` true, `httpOnly` true,
 * in-memory store default, no `maxAge`; koa-session: `httpOnly` true,
 * `secure` unset, `maxAge` one day; iron-session: `secure` true, `httpOnly`
 * true, `sameSite` lax, `ttl` 14 days; sessionguard: SPEC L4/L7).
 */
export interface LibraryProfile {
  readonly library: SessionLibrary;
  /** Key of the cookie-attribute object, or null when the attributes sit at the top level. */
  readonly cookieKey: string | null;
  readonly secureDefault: boolean;
  readonly httpOnlyDefault: boolean;
  /** SameSite when the option is absent; undefined = attribute not sent. */
  readonly sameSiteDefault: string | undefined;
  /** Whether a session expires when no lifetime option is given. */
  readonly expiresByDefault: boolean;
  /** Lifetime options inside the cookie object (or top level). */
  readonly lifetimeKeys: readonly string[];
  /** Secret options at the top level. */
  readonly secretKeys: readonly string[];
  /** Server-side store that defaults to process memory. */
  readonly memoryStoreByDefault: boolean;
}

const PROFILES: Readonly<Record<SessionLibrary, LibraryProfile>> = {
  "express-session": {
    library: "express-session",
    cookieKey: "cookie",
    secureDefault: false,
    httpOnlyDefault: true,
    sameSiteDefault: undefined,
    expiresByDefault: false,
    lifetimeKeys: ["maxAge", "expires"],
    secretKeys: ["secret"],
    memoryStoreByDefault: true,
  },
  "cookie-session": {
    library: "cookie-session",
    cookieKey: null,
    secureDefault: false,
    httpOnlyDefault: true,
    sameSiteDefault: undefined,
    expiresByDefault: false,
    lifetimeKeys: ["maxAge", "expires"],
    secretKeys: ["secret", "keys"],
    memoryStoreByDefault: false,
  },
  "@fastify/session": {
    library: "@fastify/session",
    cookieKey: "cookie",
    secureDefault: true,
    httpOnlyDefault: true,
    sameSiteDefault: undefined,
    expiresByDefault: false,
    lifetimeKeys: ["maxAge", "expires"],
    secretKeys: ["secret"],
    memoryStoreByDefault: true,
  },
  "koa-session": {
    library: "koa-session",
    cookieKey: null,
    secureDefault: false,
    httpOnlyDefault: true,
    sameSiteDefault: undefined,
    expiresByDefault: true,
    lifetimeKeys: ["maxAge", "expires"],
    secretKeys: [],
    memoryStoreByDefault: false,
  },
  "iron-session": {
    library: "iron-session",
    cookieKey: "cookieOptions",
    secureDefault: true,
    httpOnlyDefault: true,
    sameSiteDefault: "lax",
    expiresByDefault: true,
    lifetimeKeys: ["maxAge", "expires"],
    secretKeys: ["password"],
    memoryStoreByDefault: false,
  },
  sessionguard: {
    library: "sessionguard",
    cookieKey: "cookie",
    secureDefault: true,
    httpOnlyDefault: true,
    sameSiteDefault: "lax",
    expiresByDefault: true,
    lifetimeKeys: [],
    secretKeys: ["keys"],
    memoryStoreByDefault: false,
  },
};

/** A session middleware or manager configured in a file. */
export interface SessionConfig {
  readonly profile: LibraryProfile;
  /** The call that configures it (`session({...})`, `register(fastifySession, {...})`, …). */
  readonly call: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The options object, when it is a same-file literal. */
  readonly options: TSESTree.ObjectExpression | undefined;
}

/** A looked-up option: its value node, absent, or unknown (set by a spread we cannot follow). */
export type OptionValue = Node | "absent" | "unknown";

/** Reads a top-level option. */
export function option(config: SessionConfig, name: string): OptionValue {
  if (config.options === undefined) return "unknown";
  const value = property(config.options, name);
  return value === undefined ? "absent" : value;
}

/** Reads a cookie attribute (inside `cookie`/`cookieOptions`, or at the top level). */
export function cookieOption(config: SessionConfig, name: string): OptionValue {
  const key = config.profile.cookieKey;
  if (key === null) return option(config, name);
  const cookie = option(config, key);
  if (cookie === "absent") return "absent";
  if (cookie === "unknown") return "unknown";
  const object = objectOf(cookie);
  if (object === undefined) return "unknown";
  const value = property(object, name);
  return value === undefined ? "absent" : value;
}

/** The node to report a missing option at: the options object, else the call. */
export function reportNode(config: SessionConfig): Node {
  return config.call;
}

function libraryOf(program: TSESTree.Program, call: TSESTree.CallExpression | TSESTree.NewExpression): SessionConfig[] {
  const target = calledExport(program, call.callee);
  const args = call.arguments as Node[];
  const make = (library: SessionLibrary, arg: Node | undefined): SessionConfig => ({
    profile: PROFILES[library],
    call,
    options: objectOf(arg),
  });
  if (target !== undefined) {
    const { module, name } = target;
    if (call.type === "CallExpression") {
      if (module === "express-session" && name === "default") return [make("express-session", args[0])];
      if (module === "cookie-session" && name === "default") return [make("cookie-session", args[0])];
      if (module === "koa-session" && (name === "default" || name === "createSession")) {
        const arg = args.find((a) => objectOf(a) !== undefined) ?? args.find((a) => unwrap(a).type === "Identifier");
        return [make("koa-session", arg)];
      }
      if (module.startsWith("iron-session")) {
        if (name === "getIronSession" || name === "getServerActionIronSession")
          return [make("iron-session", args.at(-1))];
        if (name === "sealData" || name === "unsealData" || name.startsWith("withIronSession"))
          return [make("iron-session", args[1])];
        if (name === "ironSession") return [make("iron-session", args[0])];
      }
    }
    if (module === "sessionguard" && name === "SessionManager" && call.type === "NewExpression")
      return [make("sessionguard", args[0])];
  }
  // fastify.register(fastifySession, { … })
  if (call.type === "CallExpression") {
    const callee = unwrap(call.callee);
    const plugin = args[0];
    if (callee.type === "MemberExpression" && plugin !== undefined) {
      const name = callee.property.type === "Identifier" ? callee.property.name : undefined;
      if (name === "register") {
        const pluginTarget = calledExport(program, resolvePlugin(plugin));
        if (
          pluginTarget !== undefined &&
          (pluginTarget.module === "@fastify/session" || pluginTarget.module === "fastify-session") &&
          (pluginTarget.name === "default" || pluginTarget.name === "fastifySession")
        )
          return [make("@fastify/session", args[1])];
      }
    }
  }
  return [];
}

function resolvePlugin(plugin: Node): Node {
  const r = unwrap(plugin);
  return r.type === "Identifier" ? r : resolve(r);
}

/** The session configurations a call makes (none for most calls). */
export function configsAt(call: TSESTree.CallExpression | TSESTree.NewExpression): SessionConfig[] {
  const program = programOf(call);
  return program === undefined ? [] : libraryOf(program, call);
}
