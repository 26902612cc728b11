/**
 * eslint-plugin-sessionguard: the JS/TS rules of `sessionguard check`, as an
 * ESLint 9 flat-config plugin. The rule objects are the very ones `check`
 * runs; each links to its section of docs/static-checks.md.
 *
 * ```js
 * // eslint.config.js
 * import sessionguard from "eslint-plugin-sessionguard";
 * export default [sessionguard.configs.recommended];
 * ```
 */
import { JS_RULES, type SessionRule } from "@sessionguard/audit/eslint-rules";

/** Rules by name (the sessionguard id, e.g. `cookie-secure`, `code-jwt-no-algorithms`). */
export const rules: Readonly<Record<string, SessionRule>> = Object.fromEntries(JS_RULES.map((r) => [r.id, r]));

/** ESLint level per rule in the `recommended` preset: critical and high are errors, the rest warnings. */
export const recommendedLevels: Readonly<Record<string, "error" | "warn">> = Object.fromEntries(
  JS_RULES.map((r) => [`sessionguard/${r.id}`, r.severity === "critical" || r.severity === "high" ? "error" : "warn"]),
);

/** A flat-config object (ESLint 9). */
export interface FlatConfig {
  readonly name: string;
  readonly plugins: Readonly<Record<string, unknown>>;
  readonly rules: Readonly<Record<string, "error" | "warn">>;
}

/** The plugin object: `meta`, `rules`, and `configs.recommended` (flat config). */
export interface SessionguardPlugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: Readonly<Record<string, SessionRule>>;
  readonly configs: { readonly recommended: FlatConfig };
}

const configs: { recommended: FlatConfig } = {
  recommended: { name: "sessionguard/recommended", plugins: {}, rules: recommendedLevels },
};

const plugin: SessionguardPlugin = {
  meta: { name: "eslint-plugin-sessionguard", version: "0.1.0" },
  rules,
  configs,
};
// The preset refers to the plugin itself, as ESLint's flat config expects.
configs.recommended = { ...configs.recommended, plugins: { sessionguard: plugin } };

export default plugin;
