import type { QuickJSHandle } from "quickjs-emscripten";
import { findActionFunction } from "./action-function.js";
import { buildApi } from "./api-builder.js";
import { readUserGrantsArray } from "./api-grants.js";
import { readMetadataArray } from "./api-metadata.js";
import { type Execution, failed, failureOf, hostFailureOf, pastDeadline, timedOut } from "./classify-failure.js";
import { buildCtx } from "./ctx-builder.js";
import { scriptFile } from "./describe-error.js";
import { ApiError, GuestThrow } from "./guest-errors.js";
import { GuestEnv, type GuestEnvOptions } from "./guest-env.js";
import { installGlobals } from "./globals.js";
import type { PackedMutations } from "./mutations.js";
import type { ResultBudget } from "./result-budget.js";
import { createRunState, finishMutations, type RunState } from "./run-state.js";
import { markTainted, type SandboxModule } from "./sandbox-module.js";
import { freshSessions, type Session, type SessionSource } from "./sandbox.js";
import type { TriggerContext } from "./trigger-context.js";

export interface Job extends GuestEnvOptions {
  script: string;
  input: PackedMutations;
  context: TriggerContext;
  /** Shared with the run's log sink: changes and logs count against the execution's cap together. */
  budget: ResultBudget;
  stopped?: () => boolean;
}

/**
 * One run in a fresh runtime and context from `sessions`, handed back whatever
 * happens; a failed dispose taints the module.
 */
export function executeAction(module: SandboxModule, job: Job, sessions: SessionSource = freshSessions): Execution {
  let session: Session | undefined;
  try {
    session = sessions.open(module, job.limits);
    session.arm(job.limits, job.deadline, job.stopped);
    return runInSession(session, job);
  } catch (error) {
    markTainted(module, `run failed in the host: ${error instanceof Error ? error.message : String(error)}`);
    return hostFailureOf(error, module);
  } finally {
    if (session) sessions.close(session);
  }
}

function runInSession(session: Session, job: Job): Execution {
  const env = new GuestEnv(session, job);
  const state = createRunState(job.input, job.context, job.actionName, job.budget);
  try {
    return settleRun(env, state, job.script, job.budget);
  } catch (error) {
    if (error instanceof GuestThrow) return failureOf(env, env.keep(error.handle));
    if (error instanceof ApiError) return session.interrupted() ? timedOut() : failed(error.message);
    throw error;
  }
}

function settleRun(env: GuestEnv, state: RunState, script: string, budget: ResultBudget): Execution {
  const { vm, session } = env;
  // Globals, ctx and api exist before the script runs, so building them never meets its getters.
  installGlobals(env);
  const ctx = buildCtx(env, state);
  const api = buildApi(env, state);

  const evaluated = vm.evalCode(script, scriptFile, { type: "global" });
  if (evaluated.error) return failureOf(env, env.keep(evaluated.error));
  evaluated.value.dispose();

  const lookup = findActionFunction(env, state.actionName);
  if ("missing" in lookup) return session.interrupted() ? timedOut() : failed(lookup.missing);

  const called = vm.callFunction(lookup.fn, vm.undefined, ctx, api);
  if (called.error) return failureOf(env, env.keep(called.error));
  const settled = awaitResult(env, env.keep(called.value));
  if ("error" in settled) return failureOf(env, settled.error);
  if ("pending" in settled) return failed(`the promise returned by "${state.actionName}" never settled`);

  // Like a microtask checkpoint: promise jobs the action left behind still run, within the deadline.
  if (session.runtime.hasPendingJob()) {
    const jobs = session.runtime.executePendingJobs();
    if (jobs.error) return failureOf(env, env.keep(jobs.error));
  }
  if (env.ops.isError(settled.value)) return failureOf(env, settled.value);

  const lists = {
    metadata: state.metadataArray && readMetadataArray(env, state.metadataArray),
    userGrants: state.userGrantsArray && readUserGrantsArray(env, state.userGrantsArray),
  };
  if (session.interrupted() || pastDeadline(env)) return timedOut();
  // The guest may have caught the "internal error" it saw; the run still failed.
  if (env.internalError() !== undefined) return hostFailureOf(env.internalError(), session.module);
  const mutations = finishMutations(state, lists);
  // Also when the script caught the error: what it kept would pass the execution's cap.
  if (budget.exceeded) return failed(budget.exceeded);
  return { outcome: "succeeded", mutations };
}

/** Awaits a returned promise by running the job queue; any other value is the result as is. */
function awaitResult(env: GuestEnv, value: QuickJSHandle): { value: QuickJSHandle } | { error: QuickJSHandle } | { pending: true } {
  const { vm, session } = env;
  let state = vm.getPromiseState(value);
  if (state.type === "fulfilled" && state.notAPromise) return { value };
  if (state.type === "pending") {
    const jobs = session.runtime.executePendingJobs();
    if (jobs.error) return { error: env.keep(jobs.error) };
    state = vm.getPromiseState(value);
  }
  if (state.type === "fulfilled") return { value: env.keep(state.value) };
  if (state.type === "rejected") return { error: env.keep(state.error) };
  return { pending: true };
}
