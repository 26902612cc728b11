/**
 * Runs `sweep` every `interval` milliseconds until the returned function is
 * called; `0` starts nothing. The timer is unref'd so an idle store never
 * keeps the process alive, and a failed sweep is dropped: the next one
 * retries, and the manager re-checks every deadline on read anyway.
 */
export function startSweepTimer(interval: number, sweep: () => Promise<unknown>): () => void {
  if (interval === 0) return () => {};
  let running = false;
  const timer = setInterval(() => {
    // A sweep slower than the interval must not pile up behind itself.
    if (running) return;
    running = true;
    sweep()
      .catch(() => {})
      .finally(() => {
        running = false;
      });
  }, interval);
  timer.unref();
  return () => clearInterval(timer);
}
