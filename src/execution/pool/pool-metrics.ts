import type { Outcome } from "../../runtime/index.js";

/** What the pool counts as it goes (docs/observability.md); its load is read with load(). */
export interface PoolMetrics {
  /** A run the pool took ended with this outcome, whoever ended it (the worker, the watchdog, its caller leaving). */
  runEnded(outcome: Outcome, durationMs: number): void;
  /** The pool did not take a run: its org's queue was full, or the pool is closing. */
  runRefused(): void;
  /** A worker was replaced: terminated by the watchdog past a run's deadline, or crashed. */
  workerReplaced(cause: "watchdog" | "crashed"): void;
}

/** The pool's load now. */
export interface PoolLoad {
  /** Runs taken but not started: in the fair queue, or waiting behind another run in a worker. */
  queued: number;
  /** Workers on a run. */
  busy: number;
  /** Worker threads, replacements still loading included. */
  workers: number;
}

/** For a pool nobody measures (tests, benches). */
export const unmeasured: PoolMetrics = { runEnded() {}, runRefused() {}, workerReplaced() {} };
