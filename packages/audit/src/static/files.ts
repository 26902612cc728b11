import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";

/** File kinds `check` reads. */
export type FileKind = "js" | "php" | "ini";

const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "build", "coverage", "vendor", ".next", ".turbo"]);

/** Kind of a file by name, or undefined when `check` does not read it. */
export function kindOf(path: string): FileKind | undefined {
  const name = basename(path).toLowerCase();
  if (name.endsWith(".d.ts") || name.endsWith(".d.mts") || name.endsWith(".d.cts")) return undefined;
  if (/\.(m|c)?(j|t)sx?$/.test(name)) return "js";
  if (/\.(php|phtml|inc)$/.test(name)) return "php";
  if (name.endsWith(".ini")) return "ini";
  return undefined;
}

async function ignorePatterns(dir: string): Promise<string[]> {
  try {
    const text = await readFile(join(dir, ".sessionguardignore"), "utf8");
    return text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => l.replace(/^\/+|\/+$/g, ""));
  } catch {
    return [];
  }
}

function ignored(relativePath: string, patterns: readonly string[]): boolean {
  const posix = relativePath.split(sep).join("/");
  const segments = posix.split("/");
  return patterns.some((p) => (p.includes("/") ? posix === p || posix.startsWith(`${p}/`) : segments.includes(p)));
}

/**
 * The files under `paths` that `check` reads, in a stable order. Folders are
 * walked without following `node_modules`, `.git`, `dist`, `build`,
 * `coverage`, `vendor`, and without the entries of a `.sessionguardignore`
 * in the folder given (one path or name per line); files named explicitly
 * are always read. `everything` walks every folder (benchmarks over `node_modules`).
 */
export async function collectFiles(
  paths: readonly string[],
  options: { readonly everything?: boolean } = {},
): Promise<Array<{ path: string; kind: FileKind }>> {
  const out: Array<{ path: string; kind: FileKind }> = [];
  for (const given of paths) {
    const root = resolve(given);
    const info = await stat(root);
    if (info.isFile()) {
      const kind = kindOf(root) ?? (basename(root) === ".user.ini" ? "ini" : undefined);
      if (kind !== undefined) out.push({ path: root, kind });
      continue;
    }
    const patterns = options.everything === true ? [] : await ignorePatterns(root);
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (ignored(relative(root, full), patterns)) continue;
        if (entry.isDirectory()) {
          if (options.everything === true || !SKIP_DIRS.has(entry.name)) stack.push(full);
        } else if (entry.isFile()) {
          const kind = kindOf(full);
          if (kind !== undefined) out.push({ path: full, kind });
        }
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
