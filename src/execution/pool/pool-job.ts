import type { ActionRunResult } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";

/**
 * One run from the moment the pool accepts it until it settles: what to run,
 * the org whose caps it counts against, and its caller's promise.
 */
export interface PoolJob {
  org: string;
  order: RunOrder;
  resolve(result: ActionRunResult): void;
  reject(err: unknown): void;
}

/** The fields to log for a job: never its script or input. */
export function jobFields(job: PoolJob): { org: string; action: string } {
  return { org: job.org, action: job.order.name };
}
