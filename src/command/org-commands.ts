import type { CommandDeps } from "./command-context.js";

/** Creates an org; its id is both the aggregate id and its own resource owner. */
export function addOrg(deps: CommandDeps, subject: string, name: string): string {
  const id = deps.newId();
  deps.store.transact((tx) =>
    tx.append([
      { aggregateType: "org", aggregateId: id, resourceOwner: id, creator: subject, type: "org.added", payload: { name } },
    ]),
  );
  return id;
}
