import { DomainError } from "./errors.js";
import { maxSecretsPerOrg, maxSecretValueBytes } from "./secret.js";

/** Secret errors; ZITADEL v1 has no secrets, so the ids are actiond's own. No text ever carries a value. */
export const secretErrors = {
  notFound: () => new DomainError("NotFound", "SECRET-not-found", "Secret not found"),
  nameInvalid: () =>
    new DomainError("InvalidArgument", "SECRET-name-invalid", "A secret's name is an upper-case letter, then up to 63 upper-case letters, digits or underscores"),
  valueInvalid: () =>
    new DomainError("InvalidArgument", "SECRET-value-invalid", `A secret's value is 1 to ${maxSecretValueBytes} bytes of UTF-8`),
  tooMany: () => new DomainError("ResourceExhausted", "SECRET-too-many", `An org holds at most ${maxSecretsPerOrg} secrets`),
};
