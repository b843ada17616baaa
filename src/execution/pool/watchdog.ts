import type { HeldRun } from "./held-runs.js";

/**
 * Times the run a worker is on, from when the main thread learns the worker
 * is on it, which is never early, and fires at the run's timeout plus a grace
 * period. Only this ends a run stuck in a C builtin such as sort, which
 * ignores QuickJS's interrupt handler, or blocked in a fetch
 * (docs/worker-pool.md, Watchdog).
 */
export class Watchdog {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly graceMs: number,
    private readonly overran: (run: HeldRun, durationMs: number) => void,
  ) {}

  /** Times `run` from now, instead of the run timed so far; none stops the timing. */
  watch(run: HeldRun | undefined): void {
    this.stop();
    if (!run) return;
    const started = performance.now();
    this.timer = setTimeout(() => this.overran(run, performance.now() - started), run.job.order.timeoutMs + this.graceMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
