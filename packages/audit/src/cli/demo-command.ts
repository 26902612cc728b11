import { runAudit } from "../api/audit.js";
import { parseConfig } from "../api/config.js";
import { silentProgress, streamProgress } from "../engine/progress.js";
import { parseFormats } from "./formats.js";
import { loadLab } from "./load-lab.js";
import { formatSummary } from "./summary.js";
import { writeReport } from "./write-report.js";

/** Options of `sessionguard demo`. */
export interface DemoCommandOptions {
  readonly profile: string;
  readonly out: string;
  readonly format: string;
  readonly quiet?: boolean;
}

/** Short timeouts so the demo's idle and absolute probes finish in about half a minute. */
const DEMO_IDLE = "10s";
const DEMO_ABSOLUTE = "30s";

/** The audit configuration for the bundled lab (also printed in docs/audit.md). */
export function labAuditConfig(target: string): unknown {
  return {
    target,
    login: { url: "/login", form: { username: "alice", password: "alice-pw" } },
    authCheck: { url: "/account", loggedIn: "Signed in as alice", loggedOut: "Please sign in" },
    logout: { url: "/logout", method: "POST" },
    passwordChange: {
      url: "/password",
      form: { current: "alice-pw", next: "alice-pw-2" },
      revert: { form: { current: "alice-pw-2", next: "alice-pw" } },
    },
    tokenSource: { url: "/login" },
    policy: { maxIdle: DEMO_IDLE, maxAbsolute: DEMO_ABSOLUTE, minEntropyBits: 64, maxConcurrentSessions: 3 },
    budget: { maxRequests: 30000, rate: 400, maxDuration: "5m" },
  };
}

/**
 * `sessionguard demo` (what `npm start` runs): starts the bundled lab on a
 * free loopback port, audits it, writes the report and prints where it is.
 * Exits 0 whenever the audit completes: findings are the point of the demo.
 */
export async function demoCommand(options: DemoCommandOptions): Promise<number> {
  const formats = parseFormats(options.format);
  const { startLab } = await loadLab("demo");
  const lab = await startLab({
    port: 0,
    profile: options.profile as "hardened" | "vulnerable",
    idle: DEMO_IDLE,
    absolute: DEMO_ABSOLUTE,
    store: "memory:",
  });
  try {
    process.stderr.write(`sessionguard demo: lab (${lab.description}) at ${lab.url}\n`);
    const config = parseConfig(labAuditConfig(lab.url), { source: "the demo configuration" });
    const report = await runAudit(config, {
      samples: 2000,
      progress: (budget) => (options.quiet === true ? silentProgress : streamProgress(process.stderr, budget)),
      verification: `npx sessionguard lab --profile ${options.profile} --idle ${DEMO_IDLE} --absolute ${DEMO_ABSOLUTE} & npx sessionguard audit <lab URL> --config lab.json`,
    });
    const written = await writeReport(report, formats, options.out, process.stdout);
    process.stdout.write(formatSummary(report, written));
    return 0;
  } finally {
    await lab.close();
  }
}
