import type { StoredActionEvent } from "../../event/events.js";
import type { Sql } from "../sql.js";

/**
 * Read model `actions`: one row per live action, with its current version
 * (event/action-versions.ts counts the same events); a removed action's row
 * is deleted.
 */
export async function projectAction(tx: Sql, event: StoredActionEvent): Promise<void> {
  const at = event.createdAt.getTime();
  const touch = { id: event.aggregateId, sequence: event.sequence, at };
  switch (event.type) {
    case "action.added":
      await tx.run(
        `INSERT INTO actions (id, resource_owner, name, script, timeout_ns, allowed_to_fail, state, sequence,
           creation_date, change_date, creation_position, version)
         VALUES (@id, @owner, @name, @script, @timeoutNs, @allowedToFail, 'active', @sequence, @at, @at, @position, 1)`,
        {
          ...touch,
          ...event.payload,
          owner: event.resourceOwner,
          allowedToFail: event.payload.allowedToFail ? 1 : 0,
          position: event.position,
        },
      );
      return;
    case "action.changed": {
      const p = event.payload;
      await tx.run(
        `UPDATE actions SET name = COALESCE(@name, name), script = COALESCE(@script, script),
           timeout_ns = COALESCE(@timeoutNs, timeout_ns), allowed_to_fail = COALESCE(@allowedToFail, allowed_to_fail),
           sequence = @sequence, change_date = @at, version = version + 1 WHERE id = @id`,
        {
          ...touch,
          name: p.name ?? null,
          script: p.script ?? null,
          timeoutNs: p.timeoutNs ?? null,
          allowedToFail: p.allowedToFail === undefined ? null : p.allowedToFail ? 1 : 0,
        },
      );
      return;
    }
    case "action.deactivated":
    case "action.reactivated":
      await tx.run("UPDATE actions SET state = @state, sequence = @sequence, change_date = @at WHERE id = @id", {
        ...touch,
        state: event.type === "action.deactivated" ? "inactive" : "active",
      });
      return;
    case "action.removed":
      await tx.run("DELETE FROM actions WHERE id = ?", [event.aggregateId]);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unprojected event ${(unhandled as StoredActionEvent).type}`);
    }
  }
}
