import { AuditError } from "../errors.js";

/** The lab's module: `sessionguard lab` and `demo` are its only users. */
export type LabModule = typeof import("@sessionguard/lab");

/** The package to install for `lab` and `demo`. */
export const LAB_PACKAGE = "@sessionguard/lab";

/**
 * Loads the lab on demand. It is an optional peer dependency: it brings
 * better-sqlite3 (a native build), ioredis and pg, which `audit`, `tokens`
 * and the programmatic API never need.
 *
 * @param command - the command that needs the lab, for the message
 * @throws AuditError `ERR_USAGE` (exit 2) saying what to install when the lab is missing
 */
export async function loadLab(command: "lab" | "demo"): Promise<LabModule> {
  try {
    return await import("@sessionguard/lab");
  } catch (error) {
    if (!isMissing(error, LAB_PACKAGE)) throw error;
    throw new AuditError(
      "ERR_USAGE",
      `\`sessionguard ${command}\` needs the lab, a separate package: install it next to the auditor with ` +
        `\`npm install ${LAB_PACKAGE}\` (\`npm install -g ${LAB_PACKAGE}\` for a global install, or run ` +
        `\`npx -p @sessionguard/audit -p ${LAB_PACKAGE} sessionguard ${command}\`)`,
      { cause: error },
    );
  }
}

/** Whether `error` says that `specifier` itself (not one of its own dependencies) cannot be found. */
function isMissing(error: unknown, specifier: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    typeof message === "string" &&
    (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))
  );
}
