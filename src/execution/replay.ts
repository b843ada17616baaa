import type { Caller } from "../domain/caller.js";
import { executionErrors } from "../domain/execution-errors.js";
import { getExecution } from "../query/execution-queries.js";
import type { JsonObject } from "../runtime/index.js";
import type { ExecutionLog } from "../store/execution-records.js";

/** What TestAction is asked to run against: a context of its own, or a recorded execution's. */
export interface TestTarget {
  flowType: string;
  triggerType: string;
  context?: JsonObject;
  /** Replay: the org's recorded execution whose flow, trigger and context to use. */
  executionId?: string;
}

/**
 * The flow, trigger and context TestAction runs: the request's own, or, to
 * replay, those the org's recorded execution ran with (as stored: secrets
 * redacted). Another org's execution is not found, as a read would not.
 */
export async function resolveTestTarget(
  records: ExecutionLog,
  caller: Caller,
  target: TestTarget,
): Promise<{ flowType: string; triggerType: string; context: JsonObject }> {
  if (!target.executionId) return { flowType: target.flowType, triggerType: target.triggerType, context: target.context ?? {} };
  if (target.context !== undefined) throw executionErrors.replayWithContext();
  const id = target.executionId;
  const recorded = await records.read((sql) => getExecution(sql, caller.orgId, id));
  if (!recorded.context) throw executionErrors.replayWithoutContext();
  const { flowType, triggerType } = recorded;
  if ((target.flowType && target.flowType !== flowType) || (target.triggerType && target.triggerType !== triggerType)) {
    throw executionErrors.replayOtherTrigger(flowType, triggerType);
  }
  return { flowType, triggerType, context: recorded.context };
}
