/**
 * Hidden inputs of the form that posts to `action` (or of the first form),
 * for copying CSRF tokens into an automated login (SPEC §2.2 `csrf: "auto"`).
 * A tolerant scan of `<input>` tags: login pages are small, and a full HTML
 * parser would be a dependency for one loop.
 */
export function hiddenInputs(html: string, action: string): Record<string, string> {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const target =
    forms.find((f) => {
      const act = /\baction\s*=\s*["']?([^"'\s>]+)/i.exec(f[1] ?? "")?.[1];
      return act !== undefined && (act === action || act.endsWith(action));
    }) ?? forms[0];
  const scope = target?.[2] ?? html;
  const out: Record<string, string> = {};
  for (const match of scope.matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = match[1] ?? "";
    if (!/\btype\s*=\s*["']?hidden/i.test(attrs)) continue;
    const name = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const value = /\bvalue\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
    const key = name?.[1] ?? name?.[2] ?? name?.[3];
    if (key !== undefined) out[decodeEntities(key)] = decodeEntities(value?.[1] ?? value?.[2] ?? value?.[3] ?? "");
  }
  return out;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(Number.parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
