/** An inline `sessionguard-ignore` comment. */
export interface IgnoreComment {
  /** 1-based line of the comment. */
  readonly line: number;
  readonly ids: readonly string[];
  /** The reason after ` : `; empty when missing (then the comment silences nothing). */
  readonly reason: string;
  /** Whether the comment stands alone on its line (then it covers the next line). */
  readonly ownLine: boolean;
}

const IGNORE =
  /(\/\/|\/\*|#|;)\s*sessionguard-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/i;

/**
 * Finds `sessionguard-ignore <id>[, <id>] : <reason>` comments (`//`, `/*`,
 * `#` in PHP, `;` in ini). A comment covers its own line and, when it stands
 * alone, the next line. A reason is required.
 */
export function ignoreComments(text: string): IgnoreComment[] {
  const found: IgnoreComment[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const m = IGNORE.exec(raw);
    if (m === null) return;
    const before = raw.slice(0, m.index).trim();
    found.push({
      line: index + 1,
      ids: (m[2] ?? "").split(",").map((s) => s.trim().toLowerCase()),
      reason: (m[3] ?? "").trim(),
      ownLine: before === "",
    });
  });
  return found;
}

/** The comment that silences a finding of `id` on `line`, if any. */
export function ignoreFor(comments: readonly IgnoreComment[], id: string, line: number): IgnoreComment | undefined {
  return comments.find((c) => c.ids.includes(id) && (c.line === line || (c.ownLine && c.line + 1 === line)));
}
