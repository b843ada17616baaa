/**
 * An org's secrets: values its action scripts read by name instead of
 * carrying them in their source (docs/secrets.md). Values are write-only and
 * kept only sealed (domain/secrets.ts); this module knows names and rules.
 */

/** Upper case, as environment variables are named: a name reads as a name in a script, never as a value. */
export const secretNamePattern = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Bytes of UTF-8: an API key, a client secret or a PEM key fits; a document does not. */
export const maxSecretValueBytes = 4096;

/** Every run opens all of its org's secrets, so their number bounds that cost. */
export const maxSecretsPerOrg = 100;

/** A secret as reads show it: never its value. */
export interface SecretInfo {
  name: string;
  creationDate: Date;
  createdBy: string;
  changeDate: Date;
  changedBy: string;
}

/** A sealed value is bound to its org and name: moved to another row or org, it no longer opens. */
export function secretValueBinding(orgId: string, name: string): string {
  return `secret/${orgId}/${name}`;
}

/** What an org's opened values take in a JavaScript heap (two bytes a UTF-16 code unit): what caches of them count against their budgets. */
export function heapBytes(values: Readonly<Record<string, string>>): number {
  let units = 0;
  for (const [name, value] of Object.entries(values)) units += name.length + value.length;
  return units * 2;
}
