import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the labelled static-check corpus. */
export const CORPUS = fileURLToPath(new URL("../fixtures/static/", import.meta.url));

/** One corpus unit: the paths `check` receives together, and the files whose labels it must match. */
export interface CorpusUnit {
  readonly name: string;
  readonly paths: readonly string[];
  readonly labelled: readonly string[];
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

/** Path relative to the corpus root, with `/`. */
export function corpusPath(path: string): string {
  return relative(CORPUS, path).split(sep).join("/");
}

/**
 * The labels a file declares on its first line: `// expect: id@line, …`
 * (`; expect:` in ini, `<?php // expect:` in PHP), or `none`.
 */
export function expectedLabels(path: string): string[] {
  const first = readFileSync(path, "utf8").split("\n")[0] ?? "";
  const m = /expect:\s*(.*)$/.exec(first);
  if (m === null) throw new Error(`${path} has no expect: header`);
  const list = (m[1] ?? "").trim();
  return list === "none" ? [] : list.split(",").map((s) => `${corpusPath(path)}#${s.trim()}`);
}

/**
 * The corpus as units: every JS/TS file alone; every PHP file under `php/`
 * with the hardened `php/.user.ini`; every folder under `php-config/` whole
 * (ini and code judged together).
 */
export function corpusUnits(): CorpusUnit[] {
  const units: CorpusUnit[] = [];
  for (const file of files(join(CORPUS, "js"))) units.push({ name: corpusPath(file), paths: [file], labelled: [file] });
  const hardened = join(CORPUS, "php", ".user.ini");
  units.push({ name: "php/.user.ini", paths: [hardened], labelled: [hardened] });
  for (const file of files(join(CORPUS, "php")).filter((f) => f.endsWith(".php")))
    units.push({ name: corpusPath(file), paths: [file, hardened], labelled: [file] });
  for (const dir of readdirSync(join(CORPUS, "php-config")).sort()) {
    const full = join(CORPUS, "php-config", dir);
    units.push({ name: `php-config/${dir}`, paths: [full], labelled: files(full) });
  }
  return units;
}
