import { actionErrors } from "../domain/action-errors.js";
import { type ActionVersion, actionVersionsOf } from "../event/action-versions.js";
import { type EventRow, eventFromRow } from "../store/event-store.js";
import type { Sql } from "../store/sql.js";

/**
 * The versions of a live action of the org, read from its events: the
 * projection holds only the current version, the event log every one.
 */
export async function listActionVersions(sql: Sql, orgId: string, actionId: string): Promise<ActionVersion[]> {
  const live = await sql.get("SELECT id FROM actions WHERE id = ? AND resource_owner = ?", [actionId, orgId]);
  if (!live) throw actionErrors.notFoundOnRead();
  const rows = await sql.all<EventRow>(
    `SELECT position, aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at FROM events
     WHERE aggregate_type = 'action' AND aggregate_id = ? AND type IN ('action.added', 'action.changed') ORDER BY sequence`,
    [actionId],
  );
  return actionVersionsOf(rows.map(eventFromRow));
}

export async function getActionVersion(sql: Sql, orgId: string, actionId: string, version: number): Promise<ActionVersion> {
  const found = (await listActionVersions(sql, orgId, actionId)).find((v) => v.version === version);
  if (!found) throw actionErrors.versionNotFound();
  return found;
}
