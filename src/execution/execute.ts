import type { Caller } from "../domain/caller.js";
import { effectiveTimeoutNs } from "../domain/action.js";
import { findFlowType, findTriggerType, flowHasTrigger } from "../domain/flow.js";
import { activeTriggerActions } from "../query/flow-queries.js";
import type { JsonObject } from "../runtime/index.js";
import { validateContext } from "../runtime/index.js";
import type { ExecutionLog } from "../store/execution-records.js";
import type { Sql } from "../store/sql.js";
import type { ActionRunner } from "./action-runner.js";
import { executionErrors } from "../domain/execution-errors.js";
import type { ExecutionRecord, FlowRun, ZitadelOrigin } from "../domain/execution-record.js";
import type { SecretOpener } from "../domain/secrets.js";
import { openOrgSecrets } from "../query/secret-values.js";
import { resolveTestTarget, type TestTarget } from "./replay.js";
import { type FlowAction, runFlow } from "./run-flow.js";
import { createRedaction, type Redaction, redactForAnswer, redactForStorage } from "./secret-redaction.js";

export interface ExecuteDeps {
  /** The read models: the trigger's actions, and the orgs a ZITADEL target's call may run in. */
  db: Sql;
  /** Opens the org's secrets for its runs (query/secret-values.ts). */
  secrets: SecretOpener;
  records: ExecutionLog;
  runner: ActionRunner;
  newId: () => string;
  /** Time budget of one trigger invocation, all its actions together. */
  triggerBudgetMs: number;
  /** Cap on the changes and logs of one execution, all its actions together: it bounds a record and every answer carrying one. */
  resultsMaxBytes: number;
  /** ListExecutions: the most protobuf bytes of records one page carries. */
  pageMaxBytes: number;
}

interface TriggerInput {
  flowType: string;
  triggerType: string;
  context: JsonObject;
  /** What is left of the caller's own deadline: no action runs past it. */
  callerTimeoutMs?: number;
  /** Aborts when the caller goes away (disconnects, or its deadline passes): runs stop early. */
  signal?: AbortSignal;
  /** The call from ZITADEL that runs the trigger, marked on the record. */
  origin?: ZitadelOrigin;
}

/**
 * Runs end this long before the caller's own deadline, so that the answer,
 * with the run cut short in it, reaches the caller before it gives up.
 */
const answerMarginMs = (callerTimeoutMs: number) => Math.min(50, callerTimeoutMs / 10);

/**
 * Runs the actions within the trigger budget, cut to what is left of the
 * caller's own deadline, with the org's secrets as they are now; answers the
 * redaction of those secrets, without which nothing of the run leaves.
 */
async function runActions(
  deps: ExecuteDeps,
  caller: Caller,
  trigger: { flowType: string; triggerType: string },
  input: TriggerInput,
  actions: FlowAction[],
): Promise<{ run: FlowRun; redaction: Redaction }> {
  const callerLeftMs = input.callerTimeoutMs === undefined ? Infinity : input.callerTimeoutMs - answerMarginMs(input.callerTimeoutMs);
  const budgetMs = Math.min(deps.triggerBudgetMs, callerLeftMs);
  const secrets = actions.length === 0 ? {} : await openOrgSecrets(deps.db, deps.secrets, caller.orgId);
  const run = await runFlow(deps.runner, {
    orgId: caller.orgId,
    ...trigger,
    context: input.context,
    actions,
    secrets,
    budgetMs,
    resultsMaxBytes: deps.resultsMaxBytes,
    signal: input.signal,
  });
  return { run, redaction: createRedaction(secrets) };
}

const nsPerMs = 1_000_000;

function flowAction(a: { id: string; version: number; name: string; script: string; timeoutNs: number; allowedToFail: boolean }): FlowAction {
  const timeoutMs = effectiveTimeoutNs(a.timeoutNs) / nsPerMs;
  return { id: a.id, version: a.version, name: a.name, script: a.script, timeoutMs, allowedToFail: a.allowedToFail };
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

/** Runs the org's active actions of a trigger and records the execution. */
export async function runTrigger(deps: ExecuteDeps, caller: Caller, input: TriggerInput): Promise<ExecutionRecord> {
  const trigger = resolveTrigger(input);
  const actions = (await activeTriggerActions(deps.db, caller.orgId, trigger.flowType, trigger.triggerType)).map(flowAction);
  const { run, redaction } = await runActions(deps, caller, trigger, input, actions);
  const record: ExecutionRecord = { id: deps.newId(), orgId: caller.orgId, ...trigger, ...run, ...input.origin, context: input.context };
  deps.records.append(redactForStorage(redaction, record));
  return redactForAnswer(redaction, record);
}

/**
 * Runs one unsaved script exactly as RunTrigger would run it, against the
 * given context or a recorded execution's (replay.ts); stores nothing.
 */
export async function testAction(
  deps: ExecuteDeps,
  caller: Caller,
  request: Omit<TriggerInput, "context"> & TestTarget & { name: string; script: string; timeoutNs: number; allowedToFail: boolean },
): Promise<ExecutionRecord> {
  const input = { ...request, ...(await resolveTestTarget(deps.records, caller, request)) };
  const trigger = resolveTrigger(input);
  const { run, redaction } = await runActions(deps, caller, trigger, input, [flowAction({ id: "", version: 0, ...input })]);
  return redactForAnswer(redaction, { id: "", orgId: caller.orgId, ...trigger, ...run });
}
