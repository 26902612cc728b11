import type { TSESTree } from "@typescript-eslint/types";
import type { Node } from "../rule.js";
import { calleeName, programOf, unwrap } from "./ast.js";
import { calledExport } from "./modules.js";

/** A JWT library call: jsonwebtoken's `sign`/`verify`/`decode`, jose's `SignJWT…sign`/`jwtVerify`/`decodeJwt`. */
export interface JwtCall {
  readonly module: "jsonwebtoken" | "jose";
  readonly kind: "sign" | "verify" | "decode";
  readonly call: TSESTree.CallExpression;
  readonly key: Node | undefined;
  readonly options: Node | undefined;
  readonly payload: Node | undefined;
  /** jose: the builder methods called between `new SignJWT()` and `.sign()`. */
  readonly chain: readonly string[];
}

function joseChain(call: TSESTree.CallExpression): { root: TSESTree.NewExpression; chain: string[] } | undefined {
  const chain: string[] = [];
  let n: Node = unwrap(call.callee);
  while (n.type === "MemberExpression") {
    const object = unwrap(n.object);
    if (object.type === "NewExpression") return { root: object, chain };
    if (object.type !== "CallExpression") return undefined;
    const name = calleeName(object);
    if (name !== undefined) chain.push(name);
    n = unwrap(object.callee);
  }
  return undefined;
}

/** Classifies a call as a JWT library call, or undefined. */
export function jwtCall(call: TSESTree.CallExpression): JwtCall | undefined {
  const program = programOf(call);
  if (program === undefined) return undefined;
  const args = call.arguments as Node[];
  const target = calledExport(program, call.callee);
  if (target?.module === "jsonwebtoken") {
    if (target.name === "sign")
      return {
        module: "jsonwebtoken",
        kind: "sign",
        call,
        payload: args[0],
        key: args[1],
        options: args[2],
        chain: [],
      };
    if (target.name === "verify")
      return {
        module: "jsonwebtoken",
        kind: "verify",
        call,
        payload: undefined,
        key: args[1],
        options: args[2],
        chain: [],
      };
    if (target.name === "decode")
      return {
        module: "jsonwebtoken",
        kind: "decode",
        call,
        payload: undefined,
        key: undefined,
        options: args[1],
        chain: [],
      };
  }
  if (target?.module === "jose") {
    if (target.name === "jwtVerify")
      return { module: "jose", kind: "verify", call, payload: undefined, key: args[1], options: args[2], chain: [] };
    if (target.name === "decodeJwt")
      return {
        module: "jose",
        kind: "decode",
        call,
        payload: undefined,
        key: undefined,
        options: undefined,
        chain: [],
      };
  }
  if (calleeName(call) === "sign") {
    const found = joseChain(call);
    if (found !== undefined) {
      const root = calledExport(program, found.root.callee);
      if (root?.module === "jose" && root.name === "SignJWT")
        return {
          module: "jose",
          kind: "sign",
          call,
          payload: found.root.arguments[0] as Node | undefined,
          key: args[0],
          options: undefined,
          chain: found.chain,
        };
    }
  }
  return undefined;
}
