import { importOptional } from "../lib/optional-import.js";

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
  return importOptional(
    LAB_PACKAGE,
    () => import("@sessionguard/lab"),
    `\`sessionguard ${command}\` needs the lab, a separate package: install it next to the auditor with ` +
      `\`npm install ${LAB_PACKAGE}\` (\`npm install -g ${LAB_PACKAGE}\` for a global install, or run ` +
      `\`npx -p @sessionguard/audit -p ${LAB_PACKAGE} sessionguard ${command}\`)`,
  );
}
