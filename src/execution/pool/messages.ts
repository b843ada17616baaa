import type { ActionRunRequest, ActionRunResult, HostFetchRequest } from "../../runtime/index.js";

/**
 * Main thread -> worker. The deadline is made in the worker: performance.now()
 * differs per thread. `cell` and `ticket` are the run's claim (claim-cells.ts).
 */
export type ToWorker = { type: "run"; id: number; ticket: number; cell: number; request: Omit<ActionRunRequest, "deadline" | "stopped"> & { timeoutMs: number } };

/** Worker -> main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; result: ActionRunResult }
  | { type: "fetch"; seq: number; request: HostFetchRequest };

/**
 * The buffer each worker shares with the main thread, as int32 slots:
 * - while the main thread fetches for it, the worker blocks on [0], the state
 *   (0 waiting, 1 answered); [1] is the answer's byte length and [2] the
 *   sequence number of the fetch being waited for (a late answer to an
 *   abandoned fetch must not land in a newer one);
 * - [4] and [5] are claim cells, one per run a worker may hold (the one it
 *   runs and the one waiting behind it): see claim-cells.ts.
 * The fetch answer follows, as UTF-8 JSON.
 */
export const fetchHeaderBytes = 24;
export const fetchHeaderSlots = { state: 0, length: 1, seq: 2, claims: 4 } as const;
export const runsPerWorker = 2;
