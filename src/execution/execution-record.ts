import type { LogEntry, Mutations, Outcome, RunError } from "../runtime/index.js";

/** One action's run inside an execution. */
export interface RunRecord {
  /** Empty for TestAction. */
  actionId: string;
  name: string;
  allowedToFail: boolean;
  outcome: Outcome;
  durationMs: number;
  error?: RunError;
  logs: LogEntry[];
}

/** What RunTrigger and TestAction answer, and what ListExecutions reads back. */
export interface ExecutionRecord {
  /** Empty for TestAction, which stores nothing. */
  id: string;
  orgId: string;
  flowType: string;
  triggerType: string;
  startedAt: Date;
  durationMs: number;
  aborted: boolean;
  runs: RunRecord[];
  mutations: Mutations;
}
