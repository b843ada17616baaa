import type { Caller } from "../domain/caller.js";
import { maxSecretsPerOrg, maxSecretValueBytes, type SecretInfo, secretNamePattern, secretValueBinding } from "../domain/secret.js";
import { secretErrors as errors } from "../domain/secret-errors.js";
import type { SecretSealer } from "../domain/secrets.js";
import type { CommandDeps } from "./command-context.js";
import { hasSecret, orgSecretsModel } from "./secret-state.js";
import { loadAggregate } from "./write-model.js";

/** Secret commands seal the values they are given, before any event holds them. */
export interface SecretDeps extends CommandDeps {
  secrets: SecretSealer;
}

/** The org's secrets aggregate has the org's id (event/events.ts, SecretEvent). */
function envelope(caller: Caller) {
  return { aggregateType: "secret", aggregateId: caller.orgId, resourceOwner: caller.orgId, creator: caller.subject } as const;
}

/** The rules hold for every caller, whether or not the transport validated the request first. */
function checkName(name: string): void {
  if (!secretNamePattern.test(name)) throw errors.nameInvalid();
}

/**
 * Creates the secret or replaces its value. The value is sealed here, bound
 * to the org and name, so the event log and the read model hold only the
 * sealed form. Setting the value it already has is still a set: comparing
 * would need the old value opened, and a set never reveals whether it changed.
 */
export async function setSecret(deps: SecretDeps, caller: Caller, name: string, value: string): Promise<SecretInfo> {
  checkName(name);
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes === 0 || bytes > maxSecretValueBytes) throw errors.valueInvalid();
  const sealedValue = deps.secrets.seal(value, secretValueBinding(caller.orgId, name));
  return deps.store.transact(async (tx) => {
    const state = await loadAggregate(tx, orgSecretsModel, caller.orgId);
    if (!hasSecret(state, name) && Object.keys(state.secrets).length >= maxSecretsPerOrg) throw errors.tooMany();
    const [stored] = await tx.append([{ ...envelope(caller), type: "secret.set", payload: { name, sealedValue } }]);
    const previous = state.secrets[name];
    const at = stored!.createdAt;
    return {
      name,
      creationDate: previous ? new Date(previous.createdAt) : at,
      createdBy: previous?.createdBy ?? caller.subject,
      changeDate: at,
      changedBy: caller.subject,
    };
  });
}

/** Removes the secret; runs from then on read undefined. */
export async function removeSecret(deps: CommandDeps, caller: Caller, name: string): Promise<{ deletionDate: Date }> {
  checkName(name);
  return deps.store.transact(async (tx) => {
    const state = await loadAggregate(tx, orgSecretsModel, caller.orgId);
    if (!hasSecret(state, name)) throw errors.notFound();
    const [removed] = await tx.append([{ ...envelope(caller), type: "secret.removed", payload: { name } }]);
    return { deletionDate: removed!.createdAt };
  });
}
