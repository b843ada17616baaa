import { DomainError } from "./errors.js";
import { maxSigningKeys } from "./zitadel-target.js";

/**
 * ZITADEL target errors. ZITADEL has no such resource, so the ids are
 * actiond's own. No text ever carries a key.
 */
export const zitadelTargetErrors = {
  notFound: () => new DomainError("NotFound", "TARGET-not-found", "ZITADEL target not found"),
  nameBlank: () => new DomainError("InvalidArgument", "TARGET-name-blank", "The name must not be blank"),
  nameTaken: () => new DomainError("AlreadyExists", "TARGET-name-taken", "A ZITADEL target of that name already exists"),
  orgNotFound: () => new DomainError("FailedPrecondition", "TARGET-org-not-found", "The org to route to does not exist"),
  issuerMissing: () =>
    new DomainError("InvalidArgument", "TARGET-issuer-missing", "PAYLOAD_TYPE_JWT and PAYLOAD_TYPE_JWE need the ZITADEL issuer URL"),
  issuerUnused: () =>
    new DomainError("InvalidArgument", "TARGET-issuer-unused", "Only PAYLOAD_TYPE_JWT and PAYLOAD_TYPE_JWE use an issuer; set it empty"),
  issuerInvalid: () => new DomainError("InvalidArgument", "TARGET-issuer-invalid", "The issuer must be an http or https URL"),
  signingKeyMissing: () =>
    new DomainError("FailedPrecondition", "TARGET-signing-key-missing", "A PAYLOAD_TYPE_JSON target needs at least one signing key"),
  tooManyKeys: () =>
    new DomainError("FailedPrecondition", "TARGET-too-many-keys", `A ZITADEL target holds at most ${maxSigningKeys} signing keys`),
  signingKeyInvalid: () =>
    new DomainError("InvalidArgument", "TARGET-signing-key-invalid", "A signing key is 1 to 1000 visible ASCII characters, without spaces"),
  keyNotFound: () => new DomainError("NotFound", "TARGET-key-not-found", "Signing key not found"),
};
