import { DomainError } from "../domain/errors.js";

/** Authentication and authorization errors, with ZITADEL's ids (docs/wire-contract.md, Authorization) where it has one. */
export const authErrors = {
  headerMissing: () => new DomainError("Unauthenticated", "AUTH-header-missing", "auth header missing"),
  tokenInvalid: () => new DomainError("Unauthenticated", "AUTH-7fs1e", "Token is invalid"),
  orgNotFound: () => new DomainError("PermissionDenied", "AUTH-Bs7Ds", "Organisation doesn't exist"),
  membershipNotFound: () => new DomainError("NotFound", "AUTHZ-cdgFk", "membership not found"),
  permissionMissing: () => new DomainError("PermissionDenied", "AUTH-5mWD2", "No matching permissions found"),
  noPermissionDeclared: () =>
    new DomainError("PermissionDenied", "AUTH-no-permission-declared", "This method declares no permission"),
};
