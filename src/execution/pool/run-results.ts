import type { ActionRunResult } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";

/** Results the pool gives for runs the sandbox never reported on: each leaves the mutations as they came in. */
const ended = (order: RunOrder, outcome: ActionRunResult["outcome"], message: string, durationMs = 0): ActionRunResult => ({
  outcome,
  durationMs,
  logs: [],
  mutations: order.mutations,
  error: { message },
});

export const notRun = (order: RunOrder) => ended(order, "timed_out", "not run: the caller went away before the action started");

export const crashed = (order: RunOrder, message: string) => ended(order, "failed", message);

export const overran = (order: RunOrder, durationMs: number) =>
  ended(
    order,
    "timed_out",
    `action "${order.name}" did not stop at its deadline (a builtin such as sort or a regular expression cannot be interrupted); it was terminated`,
    durationMs,
  );
