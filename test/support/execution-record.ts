import type { ExecutionRecord } from "../../src/domain/execution-record.js";
import { emptyMutations } from "../../src/runtime/index.js";

/** A record of one succeeded run of action "a", for tests of the execution store. */
export function executionRecord(id: string, orgId: string, startedAt: Date): ExecutionRecord {
  return {
    id,
    orgId,
    flowType: "2",
    triggerType: "5",
    startedAt,
    durationMs: 1,
    aborted: false,
    runs: [{ actionId: "a", name: "a", allowedToFail: false, outcome: "succeeded", durationMs: 1, logs: [] }],
    mutations: emptyMutations(),
  };
}
