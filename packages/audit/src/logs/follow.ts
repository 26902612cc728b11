import { type FileHandle, open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import { CHUNK_BYTES, type SourceSink } from "./line-source.js";

/** What {@link followFile} tells its caller besides the text. */
export interface FollowSink extends SourceSink {
  /** The file was replaced or truncated: what follows is a new file (line numbers restart). */
  restart(reason: "rotated" | "truncated" | "reappeared"): void;
  /** A state change worth telling the operator (disappeared, came back). */
  note(message: string): void;
}

/** Poll interval of `--follow` when the file has no new data (tail -F polls once a second; this is quicker). */
export const FOLLOW_POLL_MS = 250;

/**
 * Follows a growing file like `tail -F`: reads it from the start, then keeps
 * reading what is appended. When the path is renamed away (log rotation)
 * or recreated, the rest of the old file is read and the new one is followed
 * from its start; when it is truncated, reading restarts at 0; when it
 * disappears, following waits for it to come back. Stops when `signal`
 * aborts. Never throws for a missing or unreadable file: it says so through
 * `sink.note` and keeps waiting.
 */
export async function followFile(
  path: string,
  sink: FollowSink,
  signal: AbortSignal,
  pollMs = FOLLOW_POLL_MS,
): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let handle: FileHandle | null = null;
  let identity = "";
  let position = 0;
  let missing = false;
  let decoder = new StringDecoder("utf8");
  const wait = async (): Promise<boolean> => {
    try {
      await sleep(pollMs, undefined, { signal });
      return true;
    } catch {
      return false;
    }
  };
  try {
    while (!signal.aborted) {
      if (handle === null) {
        try {
          handle = await open(path, "r");
          const s = await handle.stat();
          identity = `${s.dev}:${s.ino}`;
          position = 0;
          decoder = new StringDecoder("utf8");
          if (missing) {
            missing = false;
            sink.note(`${path} is back; following it from its start`);
            sink.restart("reappeared");
          }
        } catch (error) {
          handle = null;
          if (!missing) {
            missing = true;
            const code = (error as { code?: string }).code;
            sink.note(
              code === "ENOENT"
                ? `${path} does not exist (yet); waiting for it`
                : `${path} cannot be read (${code ?? "error"}); waiting`,
            );
          }
          if (!(await wait())) break;
          continue;
        }
      }
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        sink.bytes(bytesRead);
        sink.text(decoder.write(buffer.subarray(0, bytesRead)));
        continue;
      }
      // At the end of what is there: has the path been rotated, truncated or removed?
      let current: Awaited<ReturnType<typeof stat>> | null = null;
      try {
        current = await stat(path);
      } catch {
        current = null;
      }
      if (current === null) {
        await handle.close();
        handle = null;
        missing = true;
        sink.text(decoder.end());
        sink.note(`${path} disappeared; waiting for it to come back`);
        continue;
      }
      if (`${current.dev}:${current.ino}` !== identity) {
        await handle.close();
        handle = null;
        sink.text(decoder.end());
        sink.restart("rotated");
        continue;
      }
      if (current.size < position) {
        position = 0;
        sink.text(decoder.end());
        decoder = new StringDecoder("utf8");
        sink.restart("truncated");
        continue;
      }
      if (!(await wait())) break;
    }
  } finally {
    await handle?.close();
  }
}
