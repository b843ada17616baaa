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
