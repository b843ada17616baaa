import { describe, expect, it } from "vitest";
import type { ExecutionRecord, RunRecord } from "../../domain/execution-record.js";
import { emptyMutations } from "../../runtime/index.js";
import { failedFlowAnswer } from "./failure-policy.js";

const run = (name: string, outcome: RunRecord["outcome"], message?: string, allowedToFail = false): RunRecord => ({
  actionId: name,
  name,
  allowedToFail,
  outcome,
  durationMs: 1,
  logs: [],
  error: message === undefined ? undefined : { message },
});

const record = (runs: RunRecord[]): ExecutionRecord => ({
  id: "1",
  orgId: "o",
  flowType: "2",
  triggerType: "4",
  startedAt: new Date(0),
  durationMs: 2,
  aborted: true,
  runs,
  mutations: emptyMutations(),
});

describe("failedFlowAnswer()", () => {
  const flow = record([run("lenient", "failed", "soft", true), run("ok", "succeeded"), run("strict", "failed", "Error: denied")]);

  it("forwards a 403 with the stopping action's name and message (forward-403)", () => {
    expect(failedFlowAnswer("forward-403", flow)).toEqual({ status: 200, body: { forwardedStatusCode: 403, forwardedErrorMessage: "strict: Error: denied" } });
  });

  it("answers 500 action-failed with the same message (server-error)", () => {
    expect(failedFlowAnswer("server-error", flow)).toEqual({ status: 500, body: { error: "action-failed", message: "strict: Error: denied" } });
  });

  it("names the outcome when the run has no error text, and says so when no action ran", () => {
    expect(failedFlowAnswer("forward-403", record([run("slow", "timed_out")])).body).toMatchObject({ forwardedErrorMessage: "slow: timed_out" });
    expect(failedFlowAnswer("forward-403", record([])).body).toMatchObject({ forwardedErrorMessage: "the flow stopped before an action ran" });
  });
});
