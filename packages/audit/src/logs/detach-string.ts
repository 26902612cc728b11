/**
 * A copy of `text` that shares no memory with the string it was cut from.
 * V8 represents `slice()` results of 13+ characters as views into their
 * parent: a session id kept in a table would pin the whole 1 MB chunk it was
 * read from, and a long log would keep every chunk alive. Everything the
 * engine keeps beyond one line (session keys, owner address and agent,
 * cache keys) goes through here, once per new entry, never per line.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");
}
