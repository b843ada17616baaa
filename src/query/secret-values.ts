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
export async function openOrgSecrets(sql: Sql, opener: SecretOpener, orgId: string): Promise<Record<string, string>> {
  const rows = await allCached<{ name: string; sealed_value: string }>(
    sql,
    "SELECT name, sealed_value FROM secrets WHERE resource_owner = ? ORDER BY name",
    [orgId],
  );
  const values: Record<string, string> = Object.create(null);
  for (const row of rows) values[row.name] = opener.open(row.sealed_value, secretValueBinding(orgId, row.name));
  return values;
}
