import { DomainError } from "./errors.js";

/** Flow errors, with ZITADEL's ids and English texts (docs/wire-contract.md, Errors). */
export const flowErrors = {
  unknownFlowOnListTriggers: () => new DomainError("NotFound", "MANAG-P2OBk", "Errors.NotFound"),
  flowTypeMissingOnClear: () => new DomainError("InvalidArgument", "COMMAND-Dfw2h", "FlowType missing"),
  alreadyEmpty: () => new DomainError("FailedPrecondition", "COMMAND-DgGh3", "Flow is already empty"),
  flowTypeMissingOnSet: () => new DomainError("InvalidArgument", "COMMAND-Dfhj5", "FlowType missing"),
  wrongTriggerType: () => new DomainError("InvalidArgument", "COMMAND-Dfgh6", "TriggerType is invalid"),
  noChanges: () => new DomainError("FailedPrecondition", "COMMAND-Nfh52", "No Changes"),
  actionIdsNotExist: () => new DomainError("FailedPrecondition", "COMMAND-dg422", "ActionIDs do not exist"),
};
