import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { scaled } from "./test-setup/time-scale.js";

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Suites that start servers, spawn the CLI, drive a browser or wait in real
 * time. They run in the `slow` project with time limits that scale with the
 * machine's load; everything else is a fast, in-process unit test.
 */
const SLOW = [
  "packages/*/test/e2e-*.test.ts",
  "packages/audit/test/hostile-target.test.ts",
  "packages/audit/test/json-api.test.ts",
  "packages/audit/test/report-browser.test.ts",
  "packages/audit/test/tokens-crosscheck.test.ts",
  "packages/lab/test/cli.test.ts",
  "packages/lab/test/flaw-matrix.test.ts",
  "packages/lab/test/flaws.test.ts",
  "packages/lab/test/stores.test.ts",
  "packages/sessionguard/test/store-faults.test.ts",
  "packages/sessionguard/test/stores-postgres.test.ts",
  "packages/sessionguard/test/stores-redis.test.ts",
];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^sessionguard$/, replacement: src("./packages/sessionguard/src/index.ts") },
      { find: /^sessionguard\/(.*)$/, replacement: src("./packages/sessionguard/src/$1.ts") },
      { find: /^@sessionguard\/lab$/, replacement: src("./packages/lab/src/index.ts") },
      { find: /^@sessionguard\/audit\/eslint-rules$/, replacement: src("./packages/audit/src/static/eslint-rules.ts") },
    ],
  },
  test: {
    globalSetup: ["./test-setup/build.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: SLOW,
          testTimeout: scaled(30_000),
          hookTimeout: scaled(30_000),
        },
      },
      {
        extends: true,
        test: {
          name: "slow",
          include: SLOW,
          testTimeout: scaled(60_000),
          hookTimeout: scaled(120_000),
        },
      },
    ],
  },
});
