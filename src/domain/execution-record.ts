import type { ActionRunResult, JsonObject, Mutations, Outcome } from "../runtime/index.js";

// The sandbox is a sealed library below every layer (docs/architecture.md), so
// the record reuses its result types instead of restating them.
export type { Outcome };

/** One action's run inside an execution. */
export interface RunRecord extends Omit<ActionRunResult, "mutations"> {
  /** Empty for TestAction. */
  actionId: string;
  /** The action's version that ran; 0 for TestAction. Absent in records written before versions. */
  actionVersion?: number;
  name: string;
  allowedToFail: boolean;
}

/** What running a trigger's actions yields (execution/run-flow.ts). */
export interface FlowRun {
  startedAt: Date;
  durationMs: number;
  aborted: boolean;
  runs: RunRecord[];
  mutations: Mutations;
}

/**
 * Which call from ZITADEL ran an execution, when a ZITADEL target's endpoint
 * ran it (docs/zitadel-v2-target.md, The endpoint); RunTrigger sets neither.
 */
export interface ZitadelOrigin {
  zitadelTargetId: string;
  /** "function/<name>" for a function, "request/<full method>" for a request condition. */
  zitadelFunction: string;
}

/** What RunTrigger and TestAction answer, and what ListExecutions reads back. */
export interface ExecutionRecord extends FlowRun, Partial<ZitadelOrigin> {
  /** Empty for TestAction, which stores nothing. */
  id: string;
  orgId: string;
  flowType: string;
  triggerType: string;
  /**
   * The context the trigger ran with, kept (secrets redacted) so TestAction
   * can replay it; absent in records written before, and never answered.
   */
  context?: JsonObject;
}
