import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseDuration } from "sessionguard/utils";
import { LabUsageError } from "./errors.js";
import { flawedApp } from "./flawed/app.js";
import { type FlawSet, PLANTABLE_FLAWS, type PlantableFlaw, parseFlaws } from "./flawed/flaws.js";
import { type PredictableVariant, parsePredictableVariant } from "./flawed/tokens.js";
import { hardenedApp } from "./hardened.js";
import { openStore } from "./store-url.js";
import { UserDirectory } from "./users.js";

/**
 * The lab's profiles: `hardened` (the sessionguard library), `vulnerable`
 * (the flawed app with every plantable flaw) and `flawed` (the flawed app with
 * exactly the flaws of `--flaws`, none by default).
 */
export const LAB_PROFILES = ["hardened", "vulnerable", "flawed"] as const;

/** One of {@link LAB_PROFILES}. */
export type LabProfile = (typeof LAB_PROFILES)[number];

/** Options of {@link startLab} (the `sessionguard lab` flags of SPEC §4.1). */
export interface LabOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Listen address; loopback only. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * `hardened` (default), `vulnerable` (every plantable flaw) or `flawed`
   * (only the flaws of {@link LabOptions.flaws}). Giving `flaws` implies
   * `flawed`, also over an explicit `hardened`; with `vulnerable` it is a
   * {@link LabUsageError}.
   */
  readonly profile?: LabProfile | undefined;
  /**
   * Check ids of SPEC §2.3 to plant, exactly these (see `PLANTABLE_FLAWS`);
   * implies the flawed app. An empty list runs the flawed app with no flaw.
   * Unknown ids are a {@link LabUsageError}.
   */
  readonly flaws?: readonly string[] | undefined;
  /**
   * Store URL for the hardened profile (SPEC §4.1): `sqlite:PATH` (default:
   * a temp file), `memory:`, `redis://…`, `postgres://…`. The flawed app
   * always keeps its sessions in memory; any other value is a {@link LabUsageError} there.
   */
  readonly store?: string | undefined;
  /** Idle timeout, e.g. `20s`. Default 30 min. */
  readonly idle?: string | undefined;
  /** Absolute timeout, e.g. `2m`. Default 12 h. */
  readonly absolute?: string | undefined;
  /**
   * Generator of `token-predictable` (see `PREDICTABLE_VARIANTS`). Default:
   * the `SESSIONGUARD_LAB_PREDICTABLE` environment variable, else `md5-counter`.
   */
  readonly predictable?: PredictableVariant | undefined;
}

/** A running lab. */
export interface RunningLab {
  /** `http://HOST:PORT` */
  readonly url: string;
  /** What the lab runs on, for the start-up banner. */
  readonly description: string;
  /** The profile that runs. */
  readonly profile: LabProfile;
  /** The planted flaws, in the order of `PLANTABLE_FLAWS` (empty for `hardened`). */
  readonly flaws: readonly PlantableFlaw[];
  /** Name of the session cookie (`__Host-sid`, or `sid` when a planted cookie flaw drops the prefix). */
  readonly sessionCookie: string;
  /** Stops listening and releases the sessions. */
  close(): Promise<void>;
}

type App = { handler: (req: IncomingMessage, res: ServerResponse) => void; close: () => Promise<void> };

/** Which app a set of options asks for. */
function resolveProfile(options: LabOptions): { profile: LabProfile; flaws: FlawSet | null } {
  const profile = options.profile;
  if (profile !== undefined && !(LAB_PROFILES as readonly string[]).includes(profile)) {
    throw new LabUsageError(`--profile ${String(profile)} is not a profile; use one of ${LAB_PROFILES.join(", ")}`);
  }
  if (options.flaws !== undefined) {
    // `hardened` is the default profile, and callers (the auditor's `sessionguard lab`) pass it along with
    // --flaws; the flaws win because they can only mean the flawed app.
    if (profile === "vulnerable") {
      throw new LabUsageError("--profile vulnerable already plants every flaw; give either it or --flaws, not both");
    }
    return { profile: "flawed", flaws: parseFlaws(options.flaws) };
  }
  if (profile === "vulnerable") return { profile, flaws: new Set(PLANTABLE_FLAWS) };
  if (profile === "flawed") return { profile, flaws: new Set() };
  return { profile: "hardened", flaws: null };
}

function durationMs(value: string | undefined, fallback: string, flag: string): number {
  try {
    return parseDuration(value ?? fallback, flag);
  } catch {
    throw new LabUsageError(`${flag} ${String(value)} is not a duration; write it like 20s, 30m or 12h`);
  }
}

/** The flawed app (profiles `vulnerable` and `flawed`) for the given options. */
function startFlawed(options: LabOptions, flaws: FlawSet): { app: App; sessionCookie: string; description: string } {
  if (options.store !== undefined && options.store !== "memory:") {
    throw new LabUsageError(
      "--store applies to the hardened profile only; the flawed app keeps its sessions in memory",
    );
  }
  const idleMs = durationMs(options.idle, "30m", "--idle");
  const absoluteMs = durationMs(options.absolute, "12h", "--absolute");
  if (idleMs > absoluteMs) {
    throw new LabUsageError(`--idle ${options.idle ?? "30m"} is longer than --absolute ${options.absolute ?? "12h"}`);
  }
  const env = process.env["SESSIONGUARD_LAB_PREDICTABLE"];
  const predictable =
    options.predictable ?? (env === undefined || env === "" ? undefined : parsePredictableVariant(env));
  const app = flawedApp({ flaws, users: new UserDirectory(), idleMs, absoluteMs, predictable });
  const planted = PLANTABLE_FLAWS.filter((flaw) => flaws.has(flaw));
  return {
    app,
    sessionCookie: app.sessionCookie,
    description: `flaws ${planted.length === 0 ? "none" : planted.join(",")}, sessions in memory, idle ${options.idle ?? "30m"}, absolute ${options.absolute ?? "12h"}`,
  };
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * Starts the lab on a loopback address: the hardened profile, or the flawed
 * app with the flaws that `profile` / `flaws` select.
 * @throws LabUsageError for a non-loopback host, an unknown profile or flaw
 *   id, `flaws` with `vulnerable`, `--store` with the flawed app, or an
 *   unreadable duration (the CLI exits 2 on it)
 */
export async function startLab(options: LabOptions = {}): Promise<RunningLab> {
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.test(host)) {
    throw new LabUsageError(
      `--host ${host} is not a loopback address: the lab is deliberately vulnerable, bind it to 127.0.0.1 or ::1`,
    );
  }
  const { profile, flaws } = resolveProfile(options);
  let app: App;
  let description: string;
  // The library's default cookie name (SPEC L4).
  let sessionCookie = "__Host-sid";
  if (flaws === null) {
    const opened = openStore(options.store);
    app = hardenedApp({
      store: opened.store,
      users: new UserDirectory(),
      idle: options.idle,
      absolute: options.absolute,
    });
    description = `store ${opened.description}`;
  } else {
    ({ app, sessionCookie, description } = startFlawed(options, flaws));
  }
  const server = createServer(app.handler);
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    description: `profile ${profile}, ${description}`,
    profile,
    flaws: flaws === null ? [] : PLANTABLE_FLAWS.filter((flaw) => flaws.has(flaw)),
    sessionCookie,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
