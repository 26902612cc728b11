import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";

/** Chunks read per call: large enough that per-chunk overhead vanishes, small enough to stay in cache. */
export const CHUNK_BYTES = 64 * 1024;

/** Callbacks of {@link readSource}. */
export interface SourceSink {
  /** Decoded text, in order. */
  text(text: string): void;
  /** Raw bytes read from the file or stdin (compressed bytes for gzip). */
  bytes(count: number): void;
}

function isGzip(chunk: Buffer): boolean {
  return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/**
 * Reads a file (or stdin for `-`) to its end, gunzipping it when it starts
 * with the gzip magic bytes (whatever its name), and hands decoded UTF-8 text
 * to `sink`. Resolves with `null`, or with the reason reading stopped early
 * (a truncated gzip, an unreadable file): bad input is reported, never thrown.
 */
export async function readSource(
  path: string,
  sink: SourceSink,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string | null> {
  const raw =
    path === "-" ? (stdin as AsyncIterable<Buffer | string>) : createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const decoder = new StringDecoder("utf8");
  let gunzip: ReturnType<typeof createGunzip> | null = null;
  let gunzipDone: Promise<string | null> | null = null;
  let failed = false;
  try {
    for await (const piece of raw) {
      const chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
      sink.bytes(chunk.length);
      if (gunzip === null && gunzipDone === null && isGzip(chunk)) {
        const z = createGunzip({ chunkSize: 256 * 1024 });
        gunzip = z;
        gunzipDone = new Promise((resolve) => {
          z.on("data", (out: Buffer) => sink.text(decoder.write(out)));
          z.on("end", () => resolve(null));
          z.on("error", (error: Error) => {
            failed = true;
            resolve(
              /unexpected end/i.test(error.message)
                ? "truncated gzip: the file ends before the compressed stream does"
                : `corrupt gzip: ${error.message}`,
            );
          });
        });
      } else if (gunzipDone === null) {
        // Plain text: first chunk decided it.
        gunzipDone = Promise.resolve(null);
      }
      if (gunzip !== null) {
        if (failed) break;
        const z = gunzip;
        if (!z.write(chunk)) await Promise.race([new Promise<void>((resolve) => z.once("drain", resolve)), gunzipDone]);
      } else sink.text(decoder.write(chunk));
    }
    if (gunzip !== null && !failed) gunzip.end();
    const result = gunzipDone === null ? null : await gunzipDone;
    const rest = decoder.end();
    if (rest !== "") sink.text(rest);
    return result;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const rest = decoder.end();
    if (rest !== "") sink.text(rest);
    if (code === "ENOENT") return "does not exist";
    if (code === "EISDIR") return "is a directory";
    if (code === "EACCES" || code === "EPERM") return "cannot be read (permission denied)";
    return `cannot be read (${code ?? (error instanceof Error ? error.message : "error")})`;
  }
}
