import type { ActionRunRequest, ActionRunResult, HostFetchRequest } from "./types.js";

/**
 * What an action worker thread (worker-entry.ts) and the main thread's pool
 * agree on. It lives in the runtime, which imports nothing from the service,
 * so the worker and the pool read one definition.
 *
 * The buffer each worker shares with the main thread, as int32 slots:
 * - while the main thread fetches for it, the worker blocks on [0], the state
 *   (0 waiting, 1 answered); [1] is the answer's byte length and [2] the
 *   sequence number of the fetch being waited for (a late answer to an
 *   abandoned fetch must not land in a newer one);
 * - [4] and [5] are claim cells, one per run a worker may hold (the one it
 *   runs and the one waiting behind it): see the pool's claim-cells.ts.
 * The fetch answer follows, as UTF-8 JSON.
 */
export const fetchHeaderBytes = 24;
export const fetchHeaderSlots = { state: 0, length: 1, seq: 2, claims: 4 } as const;
export const runsPerWorker = 2;

/** The fetch handshake's slots: state, length and sequence number. */
export function fetchHeader(shared: SharedArrayBuffer): Int32Array {
  return new Int32Array(shared, 0, fetchHeaderSlots.seq + 1);
}

/** The claim cells, one per run the worker may hold. */
export function claimCellsOf(shared: SharedArrayBuffer): Int32Array {
  return new Int32Array(shared, fetchHeaderSlots.claims * Int32Array.BYTES_PER_ELEMENT, runsPerWorker);
}

/**
 * One run as a worker receives it: a timeout instead of a deadline, because
 * performance.now() differs per thread, so the worker makes the deadline.
 */
export type WorkerRunRequest = Omit<ActionRunRequest, "deadline" | "stopped"> & { timeoutMs: number };

/**
 * A run's org's secrets as its worker receives them. Up to 100 values of
 * 4 KiB would otherwise be copied with every run, so a worker keeps the
 * values it was sent (held-secrets.ts): they come only when the worker does
 * not hold that version yet, with the orgs whose values it may forget. The
 * pool decides both (its secrets-sent.ts), so the two sides agree by
 * construction; the worker applies a delivery even for a run taken back.
 */
export interface SecretsDelivery {
  org: string;
  version: number;
  values?: Readonly<Record<string, string>>;
  forget?: string[];
}

/** Main thread -> worker. `cell` and `ticket` are the run's claim (the pool's claim-cells.ts); the run's secrets come apart. */
export type ToWorker = {
  type: "run";
  id: number;
  ticket: number;
  cell: number;
  request: Omit<WorkerRunRequest, "secrets">;
  secrets?: SecretsDelivery;
};

/** Worker -> main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; id: number; result: ActionRunResult }
  | { type: "fetch"; seq: number; request: HostFetchRequest }
  /** A line the WASM module printed (sandbox-module.ts, onOutput): the main thread logs it. */
  | { type: "output"; text: string };
