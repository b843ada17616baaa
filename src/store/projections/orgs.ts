import type { StoredOrgEvent } from "../../event/events.js";
import { type Db, prepared } from "../database.js";

/** Read models `orgs`, `flows` (details per org and flow type) and `flow_triggers` (ordered ids). */
export function projectOrg(db: Db, event: StoredOrgEvent): void {
  const org = event.resourceOwner;
  switch (event.type) {
    case "org.added":
      prepared(db, "INSERT INTO orgs (id, name, sequence, creation_date) VALUES (?, ?, ?, ?)").run(
        event.aggregateId,
        event.payload.name,
        event.sequence,
        event.createdAt.getTime(),
      );
      return;
    case "org.flow.trigger_actions.set": {
      const { flowType, triggerType, actionIds } = event.payload;
      prepared(db, "DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? AND trigger_type = ?").run(
        org,
        flowType,
        triggerType,
      );
      const insert = prepared(db, 
        "INSERT INTO flow_triggers (resource_owner, flow_type, trigger_type, position, action_id) VALUES (?, ?, ?, ?, ?)",
      );
      actionIds.forEach((id, i) => insert.run(org, flowType, triggerType, i, id));
      touchFlow(db, event, flowType);
      return;
    }
    case "org.flow.trigger_actions.cascade.removed":
      prepared(db, "DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? AND action_id = ?").run(
        org,
        event.payload.flowType,
        event.payload.actionId,
      );
      touchFlow(db, event, event.payload.flowType);
      return;
    case "org.flow.cleared":
      prepared(db, "DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ?").run(org, event.payload.flowType);
      touchFlow(db, event, event.payload.flowType);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unprojected event ${(unhandled as StoredOrgEvent).type}`);
    }
  }
}

/** Keeps a flow's details row while it has trigger actions, and drops it when it has none. */
function touchFlow(db: Db, event: StoredOrgEvent, flowType: string): void {
  const org = event.resourceOwner;
  const hasTriggers = db
    .prepare("SELECT 1 FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? LIMIT 1")
    .get(org, flowType);
  if (!hasTriggers) {
    prepared(db, "DELETE FROM flows WHERE resource_owner = ? AND flow_type = ?").run(org, flowType);
    return;
  }
  prepared(db, 
    `INSERT INTO flows (resource_owner, flow_type, sequence, creation_date, change_date) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (resource_owner, flow_type) DO UPDATE SET sequence = excluded.sequence, change_date = excluded.change_date`,
  ).run(org, flowType, event.sequence, event.createdAt.getTime(), event.createdAt.getTime());
}
