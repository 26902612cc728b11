import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LabUsageError } from "./errors.js";
import { hardenedApp } from "./hardened.js";
import { openStore } from "./store-url.js";
import { UserDirectory } from "./users.js";

/** Options of {@link startLab} (the `sessionguard lab` flags of SPEC §4.1). */
export interface LabOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Listen address; loopback only. Default `127.0.0.1`. */
  readonly host?: string;
  /** `hardened` (default) or `vulnerable`. */
  readonly profile?: "hardened" | "vulnerable";
  /** Store URL for the hardened profile: `sqlite:PATH` (default: a temp file) or `memory:`. */
  readonly store?: string | undefined;
  /** Idle timeout of the hardened profile, e.g. `20s`. */
  readonly idle?: string | undefined;
  /** Absolute timeout of the hardened profile, e.g. `2m`. */
  readonly absolute?: string | undefined;
}

/** A running lab. */
export interface RunningLab {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** What the lab runs on, for the start-up banner. */
  readonly description: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** Starts the lab on a loopback address. */
export async function startLab(options: LabOptions = {}): Promise<RunningLab> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host)) {
    throw new LabUsageError(
      `--host ${host} is not a loopback address: the lab is deliberately vulnerable, bind it to 127.0.0.1 or ::1`,
    );
  }
  const profile = options.profile ?? "hardened";
  if (profile !== "hardened") {
    throw new LabUsageError(`--profile ${profile} is not available yet; use --profile hardened`);
  }
  const { store, description } = openStore(options.store);
  const app = hardenedApp({ store, users: new UserDirectory(), idle: options.idle, absolute: options.absolute });
  const server = createServer(app.handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    description: `profile ${profile}, store ${description}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
