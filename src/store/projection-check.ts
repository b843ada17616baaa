import { type EventRow, eventFromRow } from "./event-store.js";
import { projectEvent } from "./projections/index.js";
import type { Sql } from "./sql.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";

/** Each projection table and the columns that order its rows. */
const projections: Record<string, string> = {
  orgs: "id",
  actions: "id",
  flows: "resource_owner, flow_type",
  flow_triggers: "resource_owner, flow_type, trigger_type, position",
  zitadel_targets: "id",
  zitadel_target_keys: "target_id, key_id",
  secrets: "resource_owner, name",
};

const page = 10_000;

export interface ProjectionReport {
  events: number;
  /** One line per difference; empty when the projections are what the events say. */
  differences: string[];
}

/**
 * Replays every event of `db` into a fresh in-memory database and compares
 * each projection table row by row: after a crash, or on suspicion, this
 * proves (or disproves) that the projections hold exactly what the event log
 * says, since both were written in one transaction.
 */
export async function checkProjections(db: Sql): Promise<ProjectionReport> {
  const replica = openSqliteDatabase(":memory:");
  try {
    let events = 0;
    for (let after = 0; ; ) {
      const rows = await db.all<EventRow>("SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?", [after, page]);
      if (rows.length === 0) break;
      await replica.transaction(async (tx) => {
        for (const row of rows) await projectEvent(tx, eventFromRow(row));
      });
      events += rows.length;
      after = rows.at(-1)!.position;
    }
    const differences: string[] = [];
    for (const [table, order] of Object.entries(projections)) {
      const [actual, expected] = await Promise.all([db, replica].map((on) => on.all(`SELECT * FROM ${table} ORDER BY ${order}`)));
      differences.push(...compareRows(table, actual!, expected!));
    }
    return { events, differences };
  } finally {
    await replica.close();
  }
}

function compareRows(table: string, actual: unknown[], expected: unknown[]): string[] {
  const text = (rows: unknown[]) => new Set(rows.map((r) => JSON.stringify(r, Object.keys(r as object).sort())));
  const [have, want] = [text(actual), text(expected)];
  return [
    ...[...want].filter((r) => !have.has(r)).map((r) => `${table}: missing ${r}`),
    ...[...have].filter((r) => !want.has(r)).map((r) => `${table}: not from the events ${r}`),
  ];
}
