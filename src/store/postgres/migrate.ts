import type pg from "pg";
import { migrations } from "./migrations.js";

/** Any fixed number: the advisory lock every actiond node takes to migrate. */
const migrationLock = 0x61637464;

/**
 * Applies the pending migrations in one transaction, under an advisory lock:
 * nodes starting together migrate once, the others wait and then find the
 * schema current. READ COMMITTED, so the version is read after the lock is
 * held (a serializable snapshot would be taken before it). A schema newer than
 * this actiond knows is refused: an older node must not write to it.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
    await client.query("SELECT pg_advisory_xact_lock($1)", [migrationLock]);
    await client.query("CREATE TABLE IF NOT EXISTS actiond_schema (version INTEGER NOT NULL)");
    const { rows } = await client.query<{ version: number }>("SELECT version FROM actiond_schema");
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`database schema version ${current} is newer than this actiond (${migrations.length})`);
    }
    for (const sql of migrations.slice(current)) await client.query(sql);
    if (rows.length === 0) await client.query("INSERT INTO actiond_schema (version) VALUES ($1)", [migrations.length]);
    else await client.query("UPDATE actiond_schema SET version = $1", [migrations.length]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
