import { emptyMutations, type JsonObject, type PackedMutations, unpackMutations } from "../runtime/index.js";
import type { ActionRunner } from "./action-runner.js";
import type { FlowRun, RunRecord } from "../domain/execution-record.js";

export interface FlowAction {
  /** Empty for TestAction. */
  id: string;
  /** The version that runs (event/action-versions.ts); 0 for TestAction. */
  version: number;
  name: string;
  script: string;
  timeoutMs: number;
  allowedToFail: boolean;
}

/**
 * Runs a trigger's actions in order, as ZITADEL does: each sees what those
 * before it changed; a failure of an action that may not fail stops the
 * flow. Each run gets min(its timeout, what is left of the trigger budget),
 * and what is left of `resultsMaxBytes` for its changes and logs: the run
 * that would pass it fails. When `signal` aborts (the caller went away) the
 * current run is stopped and no later one starts; the flow counts as aborted.
 */
export interface FlowInput {
  orgId: string;
  flowType: string;
  triggerType: string;
  context: JsonObject;
  actions: FlowAction[];
  /** The org's secrets, opened for these runs: each run receives them with its order. */
  secrets?: Readonly<Record<string, string>>;
  budgetMs: number;
  /** Cap on the changes and logs of all the runs together (runtime/result-size.ts), which bounds the record. */
  resultsMaxBytes: number;
  signal?: AbortSignal;
}

export async function runFlow(runner: ActionRunner, input: FlowInput): Promise<FlowRun> {
  const startedAt = new Date();
  const started = performance.now();
  // Packed until the flow is done: a run's claims cross to the next as text, never parsed in between.
  let mutations: PackedMutations = emptyMutations();
  let resultBytes = 0;
  const runs: RunRecord[] = [];
  let aborted = false;
  for (const action of input.actions) {
    // The caller went away: what ran is recorded, nothing more starts.
    if (input.signal?.aborted) {
      aborted = true;
      break;
    }
    const left = input.budgetMs - (performance.now() - started);
    const record = { actionId: action.id, actionVersion: action.version, name: action.name, allowedToFail: action.allowedToFail };
    let run: RunRecord;
    if (left <= 0) {
      run = { ...record, outcome: "timed_out", durationMs: 0, logs: [], error: { message: "the trigger's time budget was used up before this action could run" } };
    } else {
      const order = {
        name: action.name,
        script: action.script,
        flowType: input.flowType,
        triggerType: input.triggerType,
        context: input.context,
        secrets: input.secrets,
        mutations,
        results: { maxBytes: input.resultsMaxBytes, usedBytes: resultBytes },
        timeoutMs: Math.min(action.timeoutMs, left),
      };
      const result = await runner.run(input.orgId, order, input.signal);
      resultBytes += result.resultBytes ?? 0;
      run = { ...record, outcome: result.outcome, durationMs: result.durationMs, error: result.error, logs: result.logs };
      if (result.outcome === "succeeded") mutations = result.mutations;
    }
    runs.push(run);
    // A run stopped because its caller left ends the flow even when that
    // action may fail: nothing after it runs, so the flow did not complete.
    if (input.signal?.aborted || (run.outcome !== "succeeded" && !action.allowedToFail)) {
      aborted = true;
      break;
    }
  }
  return { startedAt, durationMs: performance.now() - started, aborted, runs, mutations: unpackMutations(mutations) };
}
