#!/usr/bin/env node
import { Command, CommanderError, Option } from "commander";
import { AuditError, exitCodeOf } from "../errors.js";
import { VERSION } from "../version.js";
import { auditCommand, DEFAULT_SAMPLES } from "./audit-command.js";
import { checkCommand } from "./check-command.js";
import { demoCommand } from "./demo-command.js";
import { labCommand, parsePort } from "./lab-command.js";
import { logsCommand } from "./logs-command.js";
import { tokensCommand } from "./tokens-command.js";

const FORMAT_HELP = "comma list of md,html,json,sarif";

function fail(error: unknown): never {
  if (error instanceof AuditError) {
    process.stderr.write(`sessionguard: ${error.message}\n`);
    process.exit(exitCodeOf(error));
  }
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`sessionguard: ${message}\n`);
  // Configuration errors of the library and the lab (ERR_* codes, LabUsageError) are usage errors.
  process.exit(typeof code === "string" || (error as Error).name === "LabUsageError" ? 2 : 3);
}

const program = new Command("sessionguard")
  .description("Find, fix and watch session-management flaws")
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

program
  .command("audit")
  .description("audit a live web application and write the report")
  .argument("[url]", 'target URL (wins over "target" in the config)')
  .option("--config <file>", "JSON configuration (login, authCheck, policy, budget, …)")
  .option("--out <dir>", "report folder, or - for stdout (one format)", "./sessionguard-report")
  .option("--format <list>", FORMAT_HELP, "md,html,json")
  .option("--samples <n>", "tokens to sample for the token analysis", String(DEFAULT_SAMPLES))
  .option("--fail-on <severity>", "exit 1 when a finding is at or above: critical|high|medium|low|info|none", "high")
  .option("--quiet", "no progress on stderr")
  .action(async (url: string | undefined, options) => {
    process.exitCode = await auditCommand(url, options);
  });

program
  .command("tokens")
  .description("analyse a list of captured tokens (one per line; - for stdin)")
  .argument("<file>", "file with one token per line, or - for stdin")
  .option("--out <dir>", "report folder, or - for stdout (one format)", "./sessionguard-report")
  .option("--format <list>", FORMAT_HELP, "md,html,json")
  .option("--min-entropy <bits>", "policy floor for effective entropy", "64")
  .option("--fail-on <severity>", "exit 1 when a finding is at or above this severity", "high")
  .option("--quiet", "no summary")
  .action(async (file: string, options) => {
    process.exitCode = await tokensCommand(file, options);
  });

program
  .command("logs")
  .description("find hijacked sessions, id guessing and use after logout in access and event logs")
  .argument("[file...]", "log files (.gz read as gzip), or - for stdin")
  .option("--log-format <format>", "combined, jsonl or auto (detected per file)", "auto")
  .option("--cookie <name>", "session cookie name (detected when absent)")
  .option("--config <file>", "JSON or YAML: sessionCookie, policy.maxAbsolute and a logs section (thresholds)")
  .option("--follow", "keep reading growing files like tail -F; the report is written on SIGINT/SIGTERM")
  .option("--out <dir>", "report folder, or - for stdout (one format)", "./sessionguard-report")
  .option("--format <list>", FORMAT_HELP, "md,html,json")
  .option("--fail-on <severity>", "exit 1 when a finding is at or above this severity", "high")
  .option("--export <kind-and-dir...>", "--export sigma DIR: write the detections as Sigma rules")
  .option("--quiet", "no progress on stderr")
  .action(async (files: string[], options) => {
    process.exitCode = await logsCommand(files, options);
  });

program
  .command("check")
  .description("static checks: JS/TS, PHP and php.ini session flaws in source code")
  .argument("[path...]", "files or folders (default: .)")
  .option("--out <dir>", "report folder, or - for stdout (one format)", "./sessionguard-report")
  .option("--format <list>", FORMAT_HELP, "md,html,json")
  .option("--fail-on <severity>", "exit 1 when a finding is at or above: critical|high|medium|low|info|none", "high")
  .option("--quiet", "no summary")
  .action(async (paths: string[], options) => {
    process.exitCode = await checkCommand(paths, options);
  });

program
  .command("lab")
  .description("run the lab: a local web app with switchable session flaws")
  .option("--port <n>", "port (0 picks a free one)", "0")
  .option("--host <address>", "loopback address to bind", "127.0.0.1")
  .addOption(new Option("--profile <name>", "hardened (sessionguard library) or vulnerable").default("hardened"))
  .option("--flaws <ids>", "plant exactly these check ids, comma-separated")
  .option("--store <url>", "store of the hardened profile: sqlite:PATH, memory:, redis://…, postgres://…")
  .option("--idle <duration>", "idle timeout, e.g. 20s")
  .option("--absolute <duration>", "absolute timeout, e.g. 2m")
  .action(async (options) => {
    const port = parsePort(options.port);
    if (port === null) throw new AuditError("ERR_USAGE", "--port must be a whole number from 0 to 65535");
    const lab = await labCommand(options, port);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await lab.close();
    process.exitCode = 0;
  });

program
  .command("demo")
  .description("start the bundled lab, audit it and write the report (what npm start runs)")
  .option("--profile <name>", "lab profile to audit: vulnerable or hardened", "vulnerable")
  .option("--out <dir>", "report folder", "./sessionguard-report")
  .option("--format <list>", FORMAT_HELP, "md,html,json,sarif")
  .option("--quiet", "no progress on stderr")
  .action(async (options) => {
    process.exitCode = await demoCommand(options);
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  fail(error);
}
