import { secretValueBinding } from "../domain/secret.js";
import type { SecretOpener } from "../domain/secrets.js";
import { allCached, type Sql } from "../store/sql.js";

/**
 * The org's secrets opened, by name, for one run and its redaction: only the
 * executor calls this, and nothing it returns may reach an answer, a log line
 * or an error except through the run itself. Read on every run (cached while
 * the database is unchanged), so a value set before a run starts is the one
 * it reads.
 */
export async function openOrgSecrets(sql: Sql, opener: SecretOpener, orgId: string): Promise<Readonly<Record<string, string>>> {
  const rows = await allCached<SecretRow>(sql, "SELECT name, sealed_value FROM secrets WHERE resource_owner = ? ORDER BY name", [orgId]);
  let values = openedRows.get(rows);
  if (!values) {
    const opened: Record<string, string> = Object.create(null);
    for (const row of rows) opened[row.name] = opener.open(row.sealed_value, secretValueBinding(orgId, row.name));
    values = Object.freeze(opened);
    openedRows.set(rows, values);
  }
  return values;
}

interface SecretRow {
  name: string;
  sealed_value: string;
}

/**
 * The values opened from one cached read: on SQLite the read cache answers
 * the same frozen rows until the secrets change, so a trigger does not
 * decrypt up to 100 values on every call. Rows read afresh (PostgreSQL, or
 * after a change) are new objects and are opened again.
 */
const openedRows = new WeakMap<readonly SecretRow[], Readonly<Record<string, string>>>();
