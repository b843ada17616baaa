import type { ExecutionRecord } from "../execution/execution-record.js";
import { type Db, prepared } from "./database.js";

/** Stores one execution with an index row per run (for the action and outcome filters). */
export function saveExecution(db: Db, record: ExecutionRecord): void {
  db.transaction(() => {
    const { id, orgId, flowType, triggerType, startedAt } = record;
    prepared(
      db,
      "INSERT INTO executions (id, resource_owner, flow_type, trigger_type, started_at, record) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(id, orgId, flowType, triggerType, startedAt.getTime(), JSON.stringify(record));
    const run = prepared(db, "INSERT INTO execution_runs (execution_id, position, action_id, outcome) VALUES (?, ?, ?, ?)");
    record.runs.forEach((r, i) => run.run(id, i, r.actionId, r.outcome));
  }).immediate();
}

export interface Retention {
  maxAgeMs: number;
  /** Newest executions kept per org. */
  maxPerOrg: number;
}

/** Deletes executions past the retention; returns how many went. */
export function pruneExecutions(db: Db, retention: Retention, now: Date = new Date()): number {
  return db.transaction(() => {
    let removed = prepared(db, "DELETE FROM executions WHERE started_at < ?").run(now.getTime() - retention.maxAgeMs).changes;
    const crowded = prepared(db, "SELECT resource_owner FROM executions GROUP BY resource_owner HAVING COUNT(*) > ?")
      .pluck()
      .all(retention.maxPerOrg) as string[];
    for (const org of crowded) {
      removed += prepared(
        db,
        `DELETE FROM executions WHERE resource_owner = ? AND id NOT IN (
           SELECT id FROM executions WHERE resource_owner = ? ORDER BY started_at DESC, id DESC LIMIT ?)`,
      ).run(org, org, retention.maxPerOrg).changes;
    }
    return removed;
  }).immediate();
}
