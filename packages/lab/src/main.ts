#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { LabUsageError } from "./errors.js";
import { startLab } from "./server.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return port;
}

const program = new Command("sessionguard-lab")
  .description("Run the sessionguard lab: a local web app with switchable session flaws")
  .option("--port <n>", "port to listen on (0 picks a free one)", parsePort, 0)
  .option("--host <address>", "loopback address to bind", "127.0.0.1")
  .option("--profile <name>", "hardened (the sessionguard library)", "hardened")
  .option("--store <url>", "session store: sqlite:PATH (default: a temporary file) or memory:")
  .option("--idle <duration>", "idle timeout of the hardened profile, e.g. 20s")
  .option("--absolute <duration>", "absolute timeout of the hardened profile, e.g. 2m")
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program.parse();
const options = program.opts<{
  port: number;
  host: string;
  profile: "hardened";
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
