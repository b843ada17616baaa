import { BytesLru } from "../bytes-lru.js";
import { heapBytes, secretValueBinding } from "../domain/secret.js";
import type { SecretOpener } from "../domain/secrets.js";
import { getCached, type Sql } from "../store/sql.js";

type Secrets = Readonly<Record<string, string>>;

/**
 * The org's secrets opened, by name, for one run and its redaction: only the
 * executor calls this, and nothing it returns may reach an answer, a log line
 * or an error except through the run itself.
 *
 * Checked on every trigger, so a value set before a run starts is the one it
 * reads: a cheap read of the org's row count and highest sequence (cached on
 * SQLite while the database is unchanged) tells whether anything changed, as
 * every set, reseal and delete changes one of the two. While nothing did,
 * every trigger gets the same frozen object, so the rows are not read, the
 * values not decrypted, the redaction not compiled (execution/secret-redaction.ts)
 * and the values not sent to a worker again (execution/pool/secrets-sent.ts).
 */
export async function openOrgSecrets(sql: Sql, opener: SecretOpener, orgId: string): Promise<Secrets> {
  const { n, v } = (await getCached<{ n: number | string; v: number | string | null }>(
    sql,
    "SELECT count(*) AS n, max(sequence) AS v FROM secrets WHERE resource_owner = ?",
    [orgId],
  ))!;
  if (Number(n) === 0) return noSecrets;
  const stamp = `${n}.${v}`;
  const cache = cacheOf(sql);
  const held = cache.get(orgId);
  if (held?.stamp === stamp) return held.values;
  const rows = await sql.all<{ name: string; sealed_value: string }>("SELECT name, sealed_value FROM secrets WHERE resource_owner = ? ORDER BY name", [orgId]);
  const opened: Record<string, string> = Object.create(null);
  for (const row of rows) opened[row.name] = opener.open(row.sealed_value, secretValueBinding(orgId, row.name));
  const values = Object.freeze(opened);
  cache.set(orgId, { stamp, values, bytes: heapBytes(values) });
  return values;
}

const noSecrets: Secrets = Object.freeze(Object.create(null));

/** Opened values held per database (tests run several in one process) and org: 32 MiB, about 80 orgs with 100 values of 4 KiB. */
const caches = new WeakMap<Sql, BytesLru<{ stamp: string; values: Secrets; bytes: number }>>();

function cacheOf(sql: Sql) {
  let cache = caches.get(sql);
  if (!cache) caches.set(sql, (cache = new BytesLru(32 * 1024 * 1024)));
  return cache;
}
