import type { ActionRunResult, WorkerRunRequest } from "../runtime/index.js";

/** One action run as the executor asks for it: a timeout instead of a thread-local deadline. It is what a worker receives as is. */
export type RunOrder = WorkerRunRequest;

/**
 * Runs actions somewhere safe (the worker pool). Resolves with the run's
 * result for anything the guest does, including hanging or exhausting
 * memory; rejects only when the runner itself cannot run (shut down, full).
 */
export interface ActionRunner {
  /**
   * When `signal` aborts (the caller went away), a run not started yet is
   * not started, and a running one is stopped: both resolve as timed out.
   */
  run(orgId: string, order: RunOrder, signal?: AbortSignal): Promise<ActionRunResult>;
}
