import type { SecretInfo } from "../domain/secret.js";
import type { Sql } from "../store/sql.js";

interface SecretRow {
  name: string;
  creation_date: number;
  created_by: string;
  change_date: number;
  changed_by: string;
}

/** The org's secrets by name; the sealed value is never selected. */
export async function listSecrets(sql: Sql, orgId: string): Promise<SecretInfo[]> {
  const rows = await sql.all<SecretRow>(
    "SELECT name, creation_date, created_by, change_date, changed_by FROM secrets WHERE resource_owner = ? ORDER BY name",
    [orgId],
  );
  return rows.map((r) => ({
    name: r.name,
    creationDate: new Date(r.creation_date),
    createdBy: r.created_by,
    changeDate: new Date(r.change_date),
    changedBy: r.changed_by,
  }));
}
