import type { Severity } from "../report/model.js";
import { DOCS_BASE } from "./rule.js";
import { JS_RULES } from "./rules/index.js";

/** Catalogue data of a static id, for reports. */
export interface StaticEntry {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly cwe: readonly number[];
  readonly docs: string;
}

// Ids that only the PHP/ini checks produce; the JS rules carry their own entries.
const PHP_ONLY: readonly Omit<StaticEntry, "docs">[] = [
  { id: "id-adoption", title: "PHP adopts session ids it never issued", severity: "high", cwe: [384] },
  { id: "cookie-persistent", title: "Persistent session cookie", severity: "low", cwe: [539] },
  { id: "token-length", title: "Session id shorter than 128 bits", severity: "medium", cwe: [331] },
];

/** Every id `check` can report, with its title, default severity, CWE and docs section. */
export const STATIC_CATALOGUE: ReadonlyMap<string, StaticEntry> = new Map(
  [...JS_RULES.map((r) => ({ id: r.id, title: r.title, severity: r.severity, cwe: r.cwe })), ...PHP_ONLY].map((e) => [
    e.id,
    { ...e, docs: `${DOCS_BASE}#${e.id}` },
  ]),
);
