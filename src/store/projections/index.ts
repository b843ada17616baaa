import type { StoredEvent } from "../../event/events.js";
import type { Db } from "../database.js";
import { projectAction } from "./actions.js";
import { projectOrg } from "./orgs.js";
import { projectZitadelTarget } from "./zitadel-targets.js";

/** Updates the read models for one event, inside the appending transaction. */
export function projectEvent(db: Db, event: StoredEvent): void {
  if (event.aggregateType === "action") projectAction(db, event);
  else if (event.aggregateType === "zitadel_target") projectZitadelTarget(db, event);
  else projectOrg(db, event);
}
