import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isSessionError, SESSION_ERROR_CODES, SessionError } from "../src/index.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("SessionError codes (L16)", () => {
  it("the published code list is exactly the set of codes the sources throw", () => {
    const thrown = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, "utf8").matchAll(/new SessionError\(\s*"(ERR_[A-Z_]+)"/g)) {
        thrown.add(match[1] as string);
      }
    }
    expect([...thrown].sort()).toEqual([...SESSION_ERROR_CODES].sort());
  });

  it("carries typed details and narrows them by code", () => {
    const limited = new SessionError("ERR_RATE_LIMITED", "blocked", { details: { retryAfter: 42 } });
    const unknown: unknown = limited;
    expect(isSessionError(unknown, "ERR_RATE_LIMITED") && unknown.details.retryAfter).toBe(42);
    expect(isSessionError(unknown, "ERR_CONFIG")).toBe(false);
    expect(Object.isFrozen(limited.details)).toBe(true);
    const plain = new SessionError("ERR_CONFIG", "bad option", { cause: new Error("inner") });
    expect(plain.details).toEqual({});
    expect(plain.cause).toBeInstanceOf(Error);
    expect(plain.name).toBe("SessionError");
  });
});
