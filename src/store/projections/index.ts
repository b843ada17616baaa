import type { StoredEvent } from "../../event/events.js";
import type { Sql } from "../sql.js";
import { projectAction } from "./actions.js";
import { projectOrg } from "./orgs.js";
import { projectSecret } from "./secrets.js";
import { projectZitadelTarget } from "./zitadel-targets.js";

/** Updates the read models for one event, inside the appending transaction. */
export async function projectEvent(tx: Sql, event: StoredEvent): Promise<void> {
  if (event.aggregateType === "action") await projectAction(tx, event);
  else if (event.aggregateType === "zitadel_target") await projectZitadelTarget(tx, event);
  else if (event.aggregateType === "secret") await projectSecret(tx, event);
  else await projectOrg(tx, event);
}
