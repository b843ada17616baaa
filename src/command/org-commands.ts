import { isValidOrgId } from "../domain/org.js";
import { orgErrors } from "../domain/org-errors.js";
import type { CommandDeps } from "./command-context.js";
import { orgExistsIn } from "./org-existence.js";

/**
 * Creates an org; its id is both the aggregate id and its own resource owner.
 * `id` chooses the id, e.g. the ZITADEL org's own; by default it is a new one.
 */
export async function addOrg(deps: CommandDeps, subject: string, name: string, id?: string): Promise<string> {
  if (id !== undefined && !isValidOrgId(id)) throw orgErrors.idInvalid();
  const orgId = id ?? deps.newId();
  await deps.store.transact(async (tx) => {
    if (id !== undefined && (await orgExistsIn(tx, id))) throw orgErrors.alreadyExists();
    await tx.append([{ aggregateType: "org", aggregateId: orgId, resourceOwner: orgId, creator: subject, type: "org.added", payload: { name } }]);
  });
  return orgId;
}
