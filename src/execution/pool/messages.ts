import type { ActionRunRequest, ActionRunResult, HostFetchRequest } from "../../runtime/index.js";

/** Main thread -> worker. The deadline is made in the worker: performance.now() differs per thread. */
export type ToWorker = { type: "run"; id: number; request: Omit<ActionRunRequest, "deadline"> & { timeoutMs: number } };

/** Worker -> main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; result: ActionRunResult }
  | { type: "fetch"; seq: number; request: HostFetchRequest }
  /** The module errored in cleanup or grew past its threshold: replace this worker after the current run. */
  | { type: "retire"; reason: string };

/**
 * The shared buffer a worker blocks on while the main thread fetches: int32
 * [0] is the state (0 waiting, 1 answered), [1] the answer's byte length,
 * [2] the sequence number of the fetch being waited for (a late answer to an
 * abandoned fetch must not land in a newer one), then the answer as UTF-8 JSON.
 */
export const fetchHeaderBytes = 16;
export const fetchHeaderSlots = { state: 0, length: 1, seq: 2 } as const;
