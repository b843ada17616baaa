// The worker thread reads the same definitions, so they live in the runtime.
export {
  claimCellsOf,
  fetchHeader,
  fetchHeaderBytes,
  fetchHeaderSlots,
  runsPerWorker,
  type FromWorker,
  type ToWorker,
} from "../../runtime/index.js";
