import { DomainError } from "./errors.js";

export const executionErrors = {
  unknownFlowType: (value: string) =>
    new DomainError("InvalidArgument", "EXEC-flow-type", `flowType "${value}" is not a flow type ("1".."4")`),
  wrongTriggerType: (flow: string, trigger: string) =>
    new DomainError("InvalidArgument", "EXEC-trigger-type", `triggerType "${trigger}" is not a trigger of flow ${flow}`),
  badContext: (field: string, message: string) =>
    new DomainError("InvalidArgument", "EXEC-context", `context.${field}: ${message}`),
  orgBusy: () =>
    new DomainError("ResourceExhausted", "EXEC-org-busy", "too many executions of this organisation at once; retry later"),
  notFound: () => new DomainError("NotFound", "EXEC-not-found", "Execution not found"),
  replayWithContext: () =>
    new DomainError("InvalidArgument", "EXEC-replay-context", "give either context or execution_id, not both"),
  replayOtherTrigger: (flow: string, trigger: string) =>
    new DomainError("InvalidArgument", "EXEC-replay-trigger", `the execution ran flow ${flow}, trigger ${trigger}; leave flowType and triggerType empty or give those`),
  replayWithoutContext: () =>
    new DomainError("FailedPrecondition", "EXEC-replay-no-context", "the execution was recorded before executions kept their context; it cannot be replayed"),
  unavailable: () => new DomainError("Unavailable", "EXEC-unavailable", "the action runtime is shutting down"),
};
