import { DomainError } from "./errors.js";

/** Org errors, with ZITADEL's ids where ZITADEL has them. */
export const orgErrors = {
  idInvalid: () => new DomainError("InvalidArgument", "ORG-id-invalid", "An org id is 1 to 200 letters, digits, '_' or '-'"),
  alreadyExists: () => new DomainError("AlreadyExists", "ORG-lapo2m", "Errors.Org.AlreadyExisting"),
};
