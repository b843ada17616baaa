import type { StoredOrgEvent } from "../../event/events.js";
import type { Sql } from "../sql.js";

/** Read models `orgs`, `flows` (details per org and flow type) and `flow_triggers` (ordered ids). */
export async function projectOrg(tx: Sql, event: StoredOrgEvent): Promise<void> {
  const org = event.resourceOwner;
  switch (event.type) {
    case "org.added":
      await tx.run("INSERT INTO orgs (id, name, sequence, creation_date) VALUES (?, ?, ?, ?)", [
        event.aggregateId,
        event.payload.name,
        event.sequence,
        event.createdAt.getTime(),
      ]);
      return;
    case "org.flow.trigger_actions.set": {
      const { flowType, triggerType, actionIds } = event.payload;
      await tx.run("DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? AND trigger_type = ?", [
        org,
        flowType,
        triggerType,
      ]);
      for (const [i, id] of actionIds.entries()) {
        await tx.run(
          "INSERT INTO flow_triggers (resource_owner, flow_type, trigger_type, position, action_id) VALUES (?, ?, ?, ?, ?)",
          [org, flowType, triggerType, i, id],
        );
      }
      await touchFlow(tx, event, flowType);
      return;
    }
    case "org.flow.trigger_actions.cascade.removed":
      await tx.run("DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? AND action_id = ?", [
        org,
        event.payload.flowType,
        event.payload.actionId,
      ]);
      await touchFlow(tx, event, event.payload.flowType);
      return;
    case "org.flow.cleared":
      await tx.run("DELETE FROM flow_triggers WHERE resource_owner = ? AND flow_type = ?", [org, event.payload.flowType]);
      await touchFlow(tx, event, event.payload.flowType);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unprojected event ${(unhandled as StoredOrgEvent).type}`);
    }
  }
}

/** Keeps a flow's details row while it has trigger actions, and drops it when it has none. */
async function touchFlow(tx: Sql, event: StoredOrgEvent, flowType: string): Promise<void> {
  const org = event.resourceOwner;
  const hasTriggers = await tx.get("SELECT 1 AS found FROM flow_triggers WHERE resource_owner = ? AND flow_type = ? LIMIT 1", [
    org,
    flowType,
  ]);
  if (!hasTriggers) {
    await tx.run("DELETE FROM flows WHERE resource_owner = ? AND flow_type = ?", [org, flowType]);
    return;
  }
  await tx.run(
    `INSERT INTO flows (resource_owner, flow_type, sequence, creation_date, change_date) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (resource_owner, flow_type) DO UPDATE SET sequence = excluded.sequence, change_date = excluded.change_date`,
    [org, flowType, event.sequence, event.createdAt.getTime(), event.createdAt.getTime()],
  );
}
