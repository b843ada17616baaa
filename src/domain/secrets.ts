/**
 * Seals a secret for storage: the sealed form, kept in the event log and the
 * read models, reveals nothing without the secrets key, which is not in the
 * database (store/secret-box.ts). `binding` names what the secret belongs to;
 * the sealed form opens only under the same binding.
 */
export interface SecretSealer {
  seal(plaintext: string, binding: string): string;
}

/** Opens what a SecretSealer sealed; throws when the key or the binding differs. */
export interface SecretOpener {
  open(sealed: string, binding: string): string;
}

/**
 * Seals again, under the key that seals now, what an older key sealed, as a
 * rotation of the secrets key needs; undefined when the value is sealed with
 * that key already. The plaintext never leaves the resealer.
 */
export interface SecretResealer {
  reseal(sealed: string, binding: string): string | undefined;
}

/** An aggregate that holds sealed values: an org's secrets (its id is the org's) or a ZITADEL target. */
export interface SealedAggregate {
  type: "secret" | "zitadel_target";
  id: string;
}
