import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

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
    include: ["packages/*/test/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["./test-setup/build.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
