import type { ExecutionRecord } from "../domain/execution-record.js";
import type { Logger } from "../logger.js";
import { type Db, prepared } from "./database.js";

/** Stores executions, each with an index row per run (for the action and outcome filters), in one transaction. */
export function saveExecutions(db: Db, records: ExecutionRecord[]): void {
  db.transaction(() => {
    const execution = prepared(
      db,
      "INSERT INTO executions (id, resource_owner, flow_type, trigger_type, started_at, record) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const run = prepared(db, "INSERT INTO execution_runs (execution_id, position, action_id, outcome) VALUES (?, ?, ?, ?)");
    for (const record of records) {
      const { id, orgId, flowType, triggerType, startedAt } = record;
      execution.run(id, orgId, flowType, triggerType, startedAt.getTime(), JSON.stringify(record));
      record.runs.forEach((r, i) => run.run(id, i, r.actionId, r.outcome));
    }
  }).immediate();
}

export interface ExecutionLog {
  /** Queues a record; it is written before the event loop's next turn, with whatever else came in this one. */
  append(record: ExecutionRecord): void;
  /** Writes what is queued now (before reads, pruning and shutdown). */
  flush(): void;
  /** Reads the records, after every one appended so far is written. */
  read<T>(query: (db: Db) => T): T;
}

const maxBatch = 256;

/**
 * Execution records written behind the answers, batched: under load one
 * transaction carries every record of an event-loop turn instead of one
 * each, and the caller's answer does not wait for the write. The price is
 * that a crash (kill -9) loses the records of at most that last turn; a
 * shutdown loses none. A write that fails is logged and its batch dropped:
 * records are a log of what ran, and the callers already have their answers.
 */
export function createExecutionLog(db: Db, log: Logger): ExecutionLog {
  let pending: ExecutionRecord[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  function flush(): void {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      saveExecutions(db, batch);
    } catch (err) {
      log.error("execution records could not be written; they are lost", { err, count: batch.length });
    }
  }
  return {
    append(record) {
      pending.push(record);
      if (pending.length >= maxBatch) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
    read(query) {
      flush();
      return query(db);
    },
  };
}

export interface Retention {
  maxAgeMs: number;
  /** Newest executions kept per org. */
  maxPerOrg: number;
}

/** Deletes executions past the retention; returns how many went. */
export function pruneExecutions(db: Db, retention: Retention, now: Date = new Date()): number {
  return db.transaction(() => {
    const old = prepared(db, "DELETE FROM executions WHERE started_at < ?").run(now.getTime() - retention.maxAgeMs).changes;
    const crowded = prepared(
      db,
      `DELETE FROM executions WHERE id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER (PARTITION BY resource_owner ORDER BY started_at DESC, id DESC) AS n FROM executions
         ) WHERE n > ?)`,
    ).run(retention.maxPerOrg).changes;
    return old + crowded;
  }).immediate();
}
