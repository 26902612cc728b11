import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `null` when the packages built; otherwise tsc's output. */
    buildError: string | null;
  }
}

/**
 * Builds the packages once before the suites run: the end-to-end tests spawn
 * the real CLI from `dist/`, which must match the sources under test. A
 * failed build does not stop unit tests; the end-to-end tests report it.
 * `tsc -b` is incremental, so an up-to-date tree costs a second or two.
 */
export default function setup(project: TestProject): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  try {
    execFileSync(
      process.execPath,
      [`${root}node_modules/typescript/bin/tsc`, "-b", "packages/sessionguard", "packages/lab", "packages/audit"],
      { cwd: root, stdio: "pipe" },
    );
    project.provide("buildError", null);
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    project.provide("buildError", output.slice(0, 4000));
  }
}
