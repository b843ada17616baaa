import { DomainError } from "./errors.js";

/** Action errors, with ZITADEL's ids and English texts (docs/wire-contract.md, Errors). */
export const actionErrors = {
  notFoundOnRead: () => new DomainError("NotFound", "QUERY-GEfnb", "Action not found"),
  notFoundOnUpdate: () => new DomainError("NotFound", "COMMAND-Sfg2t", "Action not found"),
  notFoundOnDeactivate: () => new DomainError("NotFound", "COMMAND-NRmhu", "Action not found"),
  notFoundOnReactivate: () => new DomainError("NotFound", "COMMAND-Aa22g", "Action not found"),
  notFoundOnDelete: () => new DomainError("NotFound", "COMMAND-Dgh4h", "Action not found"),
  idMissingOnDeactivate: () => new DomainError("InvalidArgument", "COMMAND-DAhk5", "ID missing"),
  idMissingOnReactivate: () => new DomainError("InvalidArgument", "COMMAND-BNm56", "ID missing"),
  idMissingOnDelete: () => new DomainError("InvalidArgument", "COMMAND-Gfg3g", "ID missing"),
  invalid: () => new DomainError("InvalidArgument", "COMMAND-eg2gf", "Action is invalid"),
  nameTaken: () => new DomainError("AlreadyExists", "V3-DKcYh", "Errors.Action.AlreadyExists"),
  noChanges: () => new DomainError("FailedPrecondition", "ACTION-dg4t2", "No changes"),
  notActive: () => new DomainError("FailedPrecondition", "COMMAND-Dgj92", "Action is not active"),
  notInactive: () => new DomainError("FailedPrecondition", "COMMAND-J53zh", "Action is not inactive"),
  // Versions are actiond's own: so are these ids.
  versionNotFound: () => new DomainError("NotFound", "ACTION-version-not-found", "Action version not found"),
};
