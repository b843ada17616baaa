import { allCached, type Sql } from "../store/sql.js";
import { type ActionRow, type ActionView, actionFromRow } from "./action-view.js";

export interface FlowView {
  /** Absent while the flow has no trigger actions. */
  details?: { sequence: number; creationDate: Date; changeDate: Date; resourceOwner: string };
  /** Sorted by trigger type id; actions in their stored order. */
  triggers: { triggerType: string; actions: ActionView[] }[];
}

interface FlowRow {
  sequence: number;
  creation_date: number;
  change_date: number;
}

/** The org's flow of that type; a flow never set is empty, never NotFound. */
export async function getFlow(sql: Sql, orgId: string, flowType: string): Promise<FlowView> {
  const flow = await sql.get<FlowRow>("SELECT sequence, creation_date, change_date FROM flows WHERE resource_owner = ? AND flow_type = ?", [
    orgId,
    flowType,
  ]);
  const rows = await sql.all<ActionRow & { trigger_type: string }>(
    `SELECT t.trigger_type, a.* FROM flow_triggers t JOIN actions a ON a.id = t.action_id
     WHERE t.resource_owner = ? AND t.flow_type = ?
     ORDER BY CAST(t.trigger_type AS INTEGER), t.position`,
    [orgId, flowType],
  );
  const triggers: FlowView["triggers"] = [];
  for (const row of rows) {
    let last = triggers[triggers.length - 1];
    if (last?.triggerType !== row.trigger_type) triggers.push((last = { triggerType: row.trigger_type, actions: [] }));
    last.actions.push(actionFromRow(row));
  }
  return {
    details: flow && {
      sequence: flow.sequence,
      creationDate: new Date(flow.creation_date),
      changeDate: new Date(flow.change_date),
      resourceOwner: orgId,
    },
    triggers,
  };
}

/** The ordered ACTIVE actions bound to a trigger: what RunTrigger runs. */
export async function activeTriggerActions(sql: Sql, orgId: string, flowType: string, triggerType: string): Promise<ActionView[]> {
  const rows = await allCached<ActionRow>(
    sql,
    `SELECT a.* FROM flow_triggers t JOIN actions a ON a.id = t.action_id
     WHERE t.resource_owner = ? AND t.flow_type = ? AND t.trigger_type = ? AND a.state = 'active'
     ORDER BY t.position`,
    [orgId, flowType, triggerType],
  );
  return rows.map(actionFromRow);
}
