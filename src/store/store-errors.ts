import { DomainError } from "../domain/errors.js";

/** What the callers hear when the database, not their request, is the problem. */
export const storeErrors = {
  unavailable: () => new DomainError("Unavailable", "STORE-unavailable", "the database is not reachable; retry later"),
  contended: () => new DomainError("Aborted", "STORE-contended", "the change conflicted with concurrent changes too often; retry"),
};
