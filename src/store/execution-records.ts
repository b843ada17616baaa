import type { ExecutionRecord } from "../domain/execution-record.js";
import type { Logger } from "../logger.js";
import { type Db, prepared } from "./database.js";

/**
 * Stores executions, each with an index row per run (for the action and
 * outcome filters), in one transaction. With `maxPerOrg`, the same
 * transaction drops what falls beyond each written org's newest that many,
 * so the cap holds from the moment a batch is written.
 */
export function saveExecutions(db: Db, records: ExecutionRecord[], maxPerOrg?: number): void {
  db.transaction(() => {
    const execution = prepared(
      db,
      "INSERT INTO executions (id, resource_owner, flow_type, trigger_type, started_at, zitadel_target_id, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const run = prepared(db, "INSERT INTO execution_runs (execution_id, position, action_id, outcome) VALUES (?, ?, ?, ?)");
    for (const record of records) {
      const { id, orgId, flowType, triggerType, startedAt, zitadelTargetId = "" } = record;
      execution.run(id, orgId, flowType, triggerType, startedAt.getTime(), zitadelTargetId, JSON.stringify(record));
      record.runs.forEach((r, i) => run.run(id, i, r.actionId, r.outcome));
    }
    if (maxPerOrg !== undefined) for (const orgId of new Set(records.map((r) => r.orgId))) keepNewest(db, orgId, maxPerOrg);
  }).immediate();
}

/** Deletes an org's executions beyond its newest `count`, walking the org's index; run rows go with them. */
function keepNewest(db: Db, orgId: string, count: number): void {
  prepared(
    db,
    `DELETE FROM executions WHERE id IN (
       SELECT id FROM executions WHERE resource_owner = ? ORDER BY started_at DESC, id DESC LIMIT -1 OFFSET ?)`,
  ).run(orgId, count);
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
 * `maxPerOrg` is enforced as each batch is written (saveExecutions).
 */
export function createExecutionLog(db: Db, log: Logger, maxPerOrg?: number): ExecutionLog {
  let pending: ExecutionRecord[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  function flush(): void {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      saveExecutions(db, batch, maxPerOrg);
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

/**
 * Deletes executions older than `maxAgeMs`; returns how many went. The count
 * per org needs no timer: saveExecutions keeps it as it writes.
 */
export function pruneExecutions(db: Db, maxAgeMs: number, now: Date = new Date()): number {
  return db.transaction(() => prepared(db, "DELETE FROM executions WHERE started_at < ?").run(now.getTime() - maxAgeMs).changes).immediate();
}
