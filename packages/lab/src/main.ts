#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { LabUsageError } from "./errors.js";
import { PLANTABLE_FLAWS } from "./flawed/flaws.js";
import { LAB_PROFILES, type LabProfile, startLab } from "./server.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return port;
}

function parseProfile(value: string): LabProfile {
  if (!(LAB_PROFILES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`use one of ${LAB_PROFILES.join(", ")}`);
  return value as LabProfile;
}

// Comma lists may be repeated (`--flaws a --flaws b`); validation with the full list of ids happens in startLab.
function parseFlawList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",")];
}

const program = new Command("sessionguard-lab")
  .description("Run the sessionguard lab: a local web app with switchable session flaws")
  .option("--port <n>", "port to listen on (0 picks a free one)", parsePort, 0)
  .option("--host <address>", "loopback address to bind", "127.0.0.1")
  .option(
    "--profile <name>",
    "hardened (the sessionguard library, default), vulnerable (every plantable flaw) or flawed (only --flaws)",
    parseProfile,
  )
  .option(
    "--flaws <ids>",
    `plant exactly these check ids (comma list), one of: ${PLANTABLE_FLAWS.join(", ")}`,
    parseFlawList,
  )
  .option(
    "--store <url>",
    "session store of the hardened profile: sqlite:PATH (default: a temporary file), memory:, redis://HOST:PORT[/DB] or postgres://USER@HOST:PORT/DB",
  )
  .option("--idle <duration>", "idle timeout, e.g. 20s (default 30m)")
  .option("--absolute <duration>", "absolute timeout, e.g. 2m (default 12h)")
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const options = program.opts<{
  port: number;
  host: string;
  profile?: LabProfile;
  flaws?: string[];
  store?: string;
  idle?: string;
  absolute?: string;
}>();

try {
  const lab = await startLab(options);
  process.stdout.write(`listening on ${lab.url}\n`);
  process.stderr.write(`sessionguard lab: ${lab.description}; users alice/alice-pw, bob/bob-pw; Ctrl+C to stop\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    lab.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sessionguard lab: ${message}\n`);
  process.exit(error instanceof LabUsageError || (error as { code?: string }).code?.startsWith("ERR_") ? 2 : 1);
}
