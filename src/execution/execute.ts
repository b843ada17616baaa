import type { Caller } from "../command/command-context.js";
import { effectiveTimeoutNs } from "../domain/action.js";
import { findFlowType, findTriggerType, flowHasTrigger } from "../domain/flow.js";
import { activeTriggerActions } from "../query/flow-queries.js";
import type { JsonObject } from "../runtime/index.js";
import { validateContext } from "../runtime/index.js";
import type { Db } from "../store/database.js";
import { saveExecution } from "../store/execution-records.js";
import type { ActionRunner } from "./action-runner.js";
import { executionErrors } from "./execution-errors.js";
import type { ExecutionRecord } from "./execution-record.js";
import { type FlowAction, runFlow } from "./run-flow.js";

export interface ExecuteDeps {
  db: Db;
  runner: ActionRunner;
  newId: () => string;
  /** Time budget of one trigger invocation, all its actions together. */
  triggerBudgetMs: number;
}

interface TriggerInput {
  flowType: string;
  triggerType: string;
  context: JsonObject;
  /** What is left of the caller's own deadline: no action runs past it. */
  callerTimeoutMs?: number;
}

function budgetOf(deps: ExecuteDeps, input: TriggerInput): number {
  return Math.min(deps.triggerBudgetMs, input.callerTimeoutMs ?? Infinity);
}

/** Resolves flow and trigger (ids or legacy names) and checks the context fits the trigger. */
function resolveTrigger(input: TriggerInput): { flowType: string; triggerType: string } {
  const flow = findFlowType(input.flowType);
  if (!flow) throw executionErrors.unknownFlowType(input.flowType);
  const trigger = findTriggerType(input.triggerType);
  if (!trigger || !flowHasTrigger(flow, trigger.id)) throw executionErrors.wrongTriggerType(flow.id, input.triggerType);
  const check = validateContext(flow.id, trigger.id, input.context);
  if (!check.ok) throw executionErrors.badContext(check.field, check.message);
  return { flowType: flow.id, triggerType: trigger.id };
}

const nsPerMs = 1_000_000;

/** Runs the org's active actions of a trigger and records the execution. */
export async function runTrigger(deps: ExecuteDeps, caller: Caller, input: TriggerInput): Promise<ExecutionRecord> {
  const { flowType, triggerType } = resolveTrigger(input);
  const actions: FlowAction[] = activeTriggerActions(deps.db, caller.orgId, flowType, triggerType).map((a) => ({
    id: a.id,
    name: a.name,
    script: a.script,
    timeoutMs: effectiveTimeoutNs(a.timeoutNs) / nsPerMs,
    allowedToFail: a.allowedToFail,
  }));
  const run = await runFlow(deps.runner, { orgId: caller.orgId, flowType, triggerType, context: input.context, actions, budgetMs: budgetOf(deps, input) });
  const record: ExecutionRecord = { id: deps.newId(), orgId: caller.orgId, flowType, triggerType, ...run };
  saveExecution(deps.db, record);
  return record;
}

/** Runs one unsaved script exactly as RunTrigger would run it; stores nothing. */
export async function testAction(
  deps: ExecuteDeps,
  caller: Caller,
  input: TriggerInput & { name: string; script: string; timeoutNs: number; allowedToFail: boolean },
): Promise<ExecutionRecord> {
  const { flowType, triggerType } = resolveTrigger(input);
  const action: FlowAction = {
    id: "",
    name: input.name,
    script: input.script,
    timeoutMs: effectiveTimeoutNs(input.timeoutNs) / nsPerMs,
    allowedToFail: input.allowedToFail,
  };
  const run = await runFlow(deps.runner, { orgId: caller.orgId, flowType, triggerType, context: input.context, actions: [action], budgetMs: budgetOf(deps, input) });
  return { id: "", orgId: caller.orgId, flowType, triggerType, ...run };
}
