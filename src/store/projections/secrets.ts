import type { StoredSecretEvent } from "../../event/events.js";
import type { Sql } from "../sql.js";

/**
 * Read model `secrets`: one row per live secret of an org, its value as
 * sealed in the event. Only query/secret-values.ts opens it, for a run.
 */
export async function projectSecret(tx: Sql, event: StoredSecretEvent): Promise<void> {
  const row = { owner: event.resourceOwner, name: event.payload.name, at: event.createdAt.getTime(), by: event.creator, sequence: event.sequence };
  switch (event.type) {
    case "secret.set":
      await tx.run(
        `INSERT INTO secrets (resource_owner, name, sealed_value, creation_date, created_by, change_date, changed_by, sequence)
         VALUES (@owner, @name, @sealedValue, @at, @by, @at, @by, @sequence)
         ON CONFLICT (resource_owner, name) DO UPDATE SET sealed_value = excluded.sealed_value,
           change_date = excluded.change_date, changed_by = excluded.changed_by, sequence = excluded.sequence`,
        { ...row, sealedValue: event.payload.sealedValue },
      );
      return;
    case "secret.resealed":
      // When and by whom the secret changed stays as it was: its value did not change.
      await tx.run("UPDATE secrets SET sealed_value = ?, sequence = ? WHERE resource_owner = ? AND name = ?", [
        event.payload.sealedValue,
        row.sequence,
        row.owner,
        row.name,
      ]);
      return;
    case "secret.removed":
      await tx.run("DELETE FROM secrets WHERE resource_owner = ? AND name = ?", [row.owner, row.name]);
      return;
    default: {
      const unhandled: never = event;
      throw new Error(`unprojected event ${(unhandled as StoredSecretEvent).type}`);
    }
  }
}
