import type { Node } from "../rule.js";
import { resolve } from "./ast.js";
import { evaluate, PRODUCTION } from "./evaluate.js";

/** Fewer characters than this is a short secret (256 bits as hex or base64 is 43+). */
export const MIN_SECRET_LENGTH = 32;

/**
 * The hard-coded string a secret option holds in production (`'s3cret'`,
 * `process.env.SECRET || 'dev'`, an array with a literal), or undefined when
 * it comes from elsewhere.
 */
export function hardcodedSecret(node: Node): string | undefined {
  const n = resolve(node);
  if (n.type === "ArrayExpression") {
    for (const element of n.elements) {
      if (element === null || element.type === "SpreadElement") continue;
      const found = hardcodedSecret(element);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  // new TextEncoder().encode('…') and Buffer.from('…') wrap a literal key for jose and crypto.
  if ((n.type === "CallExpression" || n.type === "NewExpression") && n.arguments.length >= 1) {
    const callee = n.callee;
    const name =
      callee.type === "MemberExpression" && callee.property.type === "Identifier" ? callee.property.name : "";
    if (name === "encode" || name === "from") return hardcodedSecret(n.arguments[0] as Node);
    return undefined;
  }
  const value = evaluate(n, PRODUCTION);
  return typeof value === "string" ? value : undefined;
}

/** Message and severity for a hard-coded secret. */
export function secretMessage(what: string, secret: string): { message: string; severity: "high" | "critical" } {
  const short = secret.length < MIN_SECRET_LENGTH;
  return {
    message: `${what} is hard-coded${short ? ` and short (${secret.length} characters)` : ""}: anyone with the source${short ? " or a wordlist" : ""} can forge sessions. Load ${MIN_SECRET_LENGTH}+ random bytes from the environment or a secret manager, with no literal fallback.`,
    severity: short ? "critical" : "high",
  };
}
