import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const AUTOCANNON = fileURLToPath(new URL("../../node_modules/autocannon/autocannon.js", import.meta.url));

/** What one load run measured. */
export interface Load {
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Concurrent connections of a load run (`BENCH_CONNECTIONS`, default 32). */
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/** One autocannon run in a child process (the app keeps this process's core). */
export async function load(
  url: string,
  method: "GET" | "POST",
  headers: readonly string[],
  seconds: number,
): Promise<Load> {
  const args = [AUTOCANNON, "-j", "-c", String(CONNECTIONS), "-d", String(seconds), "-m", method];
  for (const header of headers) args.push("-H", header);
  const { stdout } = await promisify(execFile)(process.execPath, [...args, url], {
    timeout: (seconds + 30) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    requestsPerSecond: Math.round(result.requests.average),
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Serves a handler on a free loopback port. */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{
  url: string;
  close(): Promise<void>;
}> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
