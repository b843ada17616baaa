import type { EventTransaction } from "../event/event-store.js";
import { loadAggregate, type WriteModel } from "./write-model.js";

/** Whether an org exists, as a write model: its snapshot keeps the check cheap however many flow events the org has. */
const orgExistenceModel: WriteModel<boolean> = {
  aggregateType: "org",
  snapshotName: "org-exists.v1",
  initial: () => false,
  evolve: (exists, event) => exists || (event.aggregateType === "org" && event.type === "org.added"),
  toSnapshot: (exists) => exists,
  fromSnapshot: (saved) => saved === true,
};

/** Inside the command's transaction, so the org cannot appear or vanish between the check and the append. */
export function orgExistsIn(tx: EventTransaction, orgId: string): Promise<boolean> {
  return loadAggregate(tx, orgExistenceModel, orgId);
}
