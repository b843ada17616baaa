import type { ExecutionRecord } from "../../domain/execution-record.js";
import type { FailurePolicy } from "../../domain/zitadel-target.js";

/**
 * The answer when an action that may not fail failed and stopped the flow
 * (docs/zitadel-v2-target.md, The endpoint). `forward-403` answers 200 with
 * v2's forwarded error, which ZITADEL turns into a 403 for its own caller when
 * the target interrupts on error; `server-error` answers 500, which ZITADEL
 * reports as a failed execution.
 */
export function failedFlowAnswer(policy: FailurePolicy, record: ExecutionRecord): { status: number; body: object } {
  const message = failureMessage(record);
  if (policy === "server-error") return { status: 500, body: { error: "action-failed", message } };
  return { status: 200, body: { forwardedStatusCode: 403, forwardedErrorMessage: message } };
}

/** "<action name>: <error message>" of the run that stopped the flow, the last one that did not succeed. */
function failureMessage(record: ExecutionRecord): string {
  const failed = record.runs.findLast((r) => r.outcome !== "succeeded");
  if (!failed) return "the flow stopped before an action ran";
  return `${failed.name}: ${failed.error?.message ?? failed.outcome}`;
}
