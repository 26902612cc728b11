import { DIRECTIVES, SID_BITS } from "./directives.js";
import type { IniDirective } from "./ini.js";
import type { CodeSetting, PhpIssue, PhpLocation } from "./php-file.js";

/** A PHP project: its ini files' directives and its code's settings, in scan order. */
export interface PhpProject {
  readonly ini: ReadonlyArray<{ readonly file: string; readonly directives: readonly IniDirective[] }>;
  readonly code: ReadonlyArray<{
    readonly file: string;
    readonly settings: readonly CodeSetting[];
    readonly sessionStarts: readonly PhpLocation[];
  }>;
}

/** A project-level finding with its file. */
export interface LocatedIssue extends PhpIssue {
  readonly file: string;
}

interface Setter {
  readonly file: string;
  readonly value: string | undefined;
  readonly at: PhpLocation;
  readonly inCode: boolean;
}

function pointAt(line: number, column: number, length: number): PhpLocation {
  return { line, column, endLine: line, endColumn: column + length };
}

/**
 * Judges the effective session configuration: a directive set in code
 * (`ini_set`, `session_set_cookie_params`) wins over the ini files, which win
 * over PHP's default. The finding sits where the effective value is set, or
 * at the first `session_start()` when nothing sets it (the default applies).
 */
export function judgeProject(project: PhpProject): LocatedIssue[] {
  const setters = new Map<string, Setter[]>();
  const add = (key: string, setter: Setter): void => {
    const list = setters.get(key) ?? [];
    list.push(setter);
    setters.set(key, list);
  };
  for (const { file, directives } of project.ini)
    for (const d of directives)
      add(d.key, { file, value: d.value, at: pointAt(d.line, d.column, d.key.length), inCode: false });
  for (const { file, settings } of project.code)
    for (const s of settings) add(s.key, { file, value: s.value, at: s.at, inCode: true });
  const firstStart = project.code.flatMap((c) => c.sessionStarts.map((at) => ({ file: c.file, at })))[0];

  const effective = (key: string): Setter | undefined => {
    const list = setters.get(key) ?? [];
    return [...list].reverse().find((s) => s.inCode) ?? list[list.length - 1];
  };
  const issues: LocatedIssue[] = [];
  for (const rule of DIRECTIVES) {
    const setter = effective(rule.key);
    if (setter !== undefined && setter.value === undefined) continue;
    const value = setter?.value ?? rule.defaultValue;
    const problem = rule.judge(value);
    if (problem === undefined) continue;
    const where =
      setter ?? (firstStart === undefined ? undefined : { file: firstStart.file, at: firstStart.at, inCode: true });
    if (where === undefined) continue;
    const overrides = setter?.inCode === true && (setters.get(rule.key)?.some((s) => !s.inCode) ?? false);
    issues.push({
      id: rule.id,
      severity: rule.severity,
      message: `${problem}${setter === undefined ? " Nothing in the scanned ini files or code sets it." : overrides ? " (The code overrides the ini file here.)" : ""}`,
      fix: setter?.inCode === true ? `ini_set('${rule.key}', '${rule.fix.split("=")[1]?.trim() ?? ""}');` : rule.fix,
      file: where.file,
      at: where.at,
    });
  }
  const [lengthKey, bitsKey] = SID_BITS.keys;
  const length = effective(lengthKey);
  const perChar = effective(bitsKey);
  if (length !== undefined || perChar !== undefined) {
    const l = Number(length?.value ?? SID_BITS.defaults[lengthKey]);
    const b = Number(perChar?.value ?? SID_BITS.defaults[bitsKey]);
    const at = length ?? perChar!;
    if (Number.isFinite(l * b) && l * b < 128)
      issues.push({
        id: SID_BITS.id,
        severity: SID_BITS.severity,
        message: `session ids carry ${l * b} bits (sid_length ${l} × sid_bits_per_character ${b}); at least 128 are needed.`,
        fix: SID_BITS.fix,
        file: at.file,
        at: at.at,
      });
  }
  return issues;
}
