import { availableParallelism, loadavg } from "node:os";

/**
 * How much longer than on an idle developer machine the slow suites may take.
 *
 * Slow tests wait on conditions (a process exits, a line appears, a server
 * answers); their time limits are only a safety net against a hang. A busy
 * machine (CI shares its two cores) stretches every wait, so the net scales:
 * `SESSIONGUARD_TEST_TIME_SCALE` when set, otherwise the load per core when the
 * run starts, at least 3 under `CI=true`, at most 10.
 */
export function timeScale(): number {
  const fromEnv = Number(process.env.SESSIONGUARD_TEST_TIME_SCALE);
  if (Number.isFinite(fromEnv) && fromEnv >= 1) return fromEnv;
  const perCore = (loadavg()[0] ?? 0) / availableParallelism();
  const floor = process.env.CI === "true" ? 3 : 1;
  return Math.min(10, Math.max(floor, Math.ceil(perCore)));
}

/** `ms` stretched by {@link timeScale}: a time limit for a slow test or hook. */
export function scaled(ms: number): number {
  return Math.round(ms * timeScale());
}
