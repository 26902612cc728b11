import type { IncomingMessage, ServerResponse } from "node:http";

const MAX_BODY = 64 * 1024;

/** Reads an urlencoded (or JSON object) request body, at most 64 KiB. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) break;
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === "object") {
        return new URLSearchParams(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
      }
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small HTML page. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · sessionguard lab</title></head><body><h1>${escapeHtml(title)}</h1>${body}<hr><nav><a href="/">home</a> · <a href="/login">sign in</a> · <a href="/account">account</a></nav></body></html>`;
}

/** Sends a response with a body and content type. */
export function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = "text/html; charset=utf-8",
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  res.setHeader("content-type", type);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}

/** Sends a 303 redirect. */
export function redirect(res: ServerResponse, location: string): void {
  res.statusCode = 303;
  res.setHeader("location", location);
  res.end();
}
