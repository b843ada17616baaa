import { type Execution, failed, stoppedByHost, timedOut } from "./classify-failure.js";
import { executeAction } from "./execute-action.js";
import { resolveLimits } from "./limits.js";
import { LogSink } from "./log-sink.js";
import { normalizeMutations, type PackedMutations } from "./mutations.js";
import { ResultBudget } from "./result-budget.js";
import { currentSandboxModule, isRetired, recycleIfRetired, type SandboxModule } from "./sandbox-module.js";
import { freshSessions, type SessionSource } from "./sandbox.js";
import type { TriggerContext } from "./trigger-context.js";
import { findTrigger } from "./triggers.js";
import type { ActionHost, ActionRunRequest, ActionRunResult } from "./types.js";
import { validateContext } from "./validate-context.js";

/**
 * Runs one action synchronously in this thread: evaluates the script in a
 * fresh QuickJS runtime and context, calls the global function named like
 * the action with `(ctx, api)`, awaits a returned promise, and reports what
 * happened. Never throws for anything the script does; the deadline,
 * memory and stack limits end it with an outcome instead.
 *
 * `module` defaults to this thread's cached one (`await getSandboxModule()`
 * first). A module that grew past its threshold or was tainted is retired
 * after the run and, when cached, replaced in the background.
 *
 * `sessions` defaults to a session opened and disposed within the call; a
 * `SessionStock` instead hands out one prepared ahead and disposes it later.
 */
export function runAction(
  request: ActionRunRequest,
  host: ActionHost,
  module: SandboxModule = currentSandboxModule(),
  sessions: SessionSource = freshSessions,
): ActionRunResult {
  const started = performance.now();
  if (isRetired(module)) throw new Error(`this sandbox module is retired (${module.taintReason ?? "memory grew past its threshold"}); load a new one`);
  let input: PackedMutations;
  try {
    input = normalizeMutations(request.mutations);
  } catch (error) {
    return result(started, failed(`invalid mutations: ${(error as Error).message}`), [], request.mutations);
  }
  const trigger = findTrigger(request.flowType, request.triggerType);
  if (!trigger) return result(started, failed(`flow ${request.flowType} has no trigger ${request.triggerType}`), [], input);
  const check = validateContext(request.flowType, request.triggerType, request.context);
  if (!check.ok) return result(started, failed(`invalid context: ${check.field} ${check.message}`), [], input);
  if (started >= request.deadline) return result(started, timedOut(), [], input);
  if (request.stopped?.()) return result(started, stoppedByHost(), [], input);

  const limits = resolveLimits(request.limits, module.memoryCapBytes);
  const budget = new ResultBudget(limits.maxResultBytes, request.results);
  const logs = new LogSink(limits.maxLogEntries, limits.maxLogBytes, budget);
  module.runs++;
  try {
    let execution = executeAction(
      module,
      {
        script: request.script,
        actionName: request.name,
        input,
        context: request.context as TriggerContext,
        limits,
        deadline: request.deadline,
        host,
        trigger,
        logs,
        secrets: request.secrets ?? {},
        budget,
        stopped: request.stopped,
      },
      sessions,
    );
    // A stop also fails what it cut short, such as a fetch: the stop is the cause.
    if (execution.outcome !== "succeeded" && request.stopped?.()) execution = stoppedByHost();
    return { ...result(started, execution, logs.finish(), input), resultBytes: budget.addedBytes(execution.outcome === "succeeded") };
  } finally {
    recycleIfRetired(module);
  }
}

function result(started: number, execution: Execution, logs: ActionRunResult["logs"], input: PackedMutations): ActionRunResult {
  const outcome: ActionRunResult = {
    outcome: execution.outcome,
    durationMs: performance.now() - started,
    logs,
    mutations: execution.outcome === "succeeded" && execution.mutations ? execution.mutations : input,
  };
  if (execution.error) outcome.error = dropUndefined(execution.error);
  return outcome;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
