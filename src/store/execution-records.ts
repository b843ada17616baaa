import type { ExecutionRecord } from "../domain/execution-record.js";
import type { Logger } from "../logger.js";
import type { Sql, SqlDatabase } from "./sql.js";

const executionColumns = "executions (id, resource_owner, flow_type, trigger_type, started_at, zitadel_target_id, record)";
const runColumns = "execution_runs (execution_id, position, action_id, outcome)";

/**
 * Stores executions, each with an index row per run (for the action and
 * outcome filters), in one transaction. With `maxPerOrg` (at least 1), the
 * same transaction drops what falls beyond each written org's newest that
 * many, so the cap holds from the moment a batch is written.
 */
export async function saveExecutions(db: SqlDatabase, records: ExecutionRecord[], maxPerOrg?: number): Promise<void> {
  const executions = records.map((r) => [r.id, r.orgId, r.flowType, r.triggerType, r.startedAt.getTime(), r.zitadelTargetId ?? "", JSON.stringify(r)]);
  const runs = records.flatMap((r) => r.runs.map((run, i) => [r.id, i, run.actionId, run.outcome]));
  // Read committed: the trim reads the org's whole index, so under serializable two nodes' batches would
  // keep failing each other, and a batch that fails too often is lost (docs/storage.md, Execution records).
  const options = { isolation: "read-committed" } as const;
  await db.transaction(async (tx) => {
    await insertRows(tx, executionColumns, executions);
    await insertRows(tx, runColumns, runs);
    if (maxPerOrg !== undefined) for (const orgId of new Set(records.map((r) => r.orgId))) await keepNewest(tx, orgId, maxPerOrg);
  }, options);
}

/**
 * Rows one INSERT carries at most. A batch goes in chunks of powers of two up
 * to this, so it takes few round trips (PostgreSQL answers each one) while the
 * engines keep only a few statement texts prepared.
 */
const maxRowsPerInsert = 64;

async function insertRows(tx: Sql, into: string, rows: unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; ) {
    let count = maxRowsPerInsert;
    while (count > rows.length - i) count /= 2;
    const chunk = rows.slice(i, i + count);
    const row = `(${chunk[0]!.map(() => "?").join(", ")})`;
    await tx.run(`INSERT INTO ${into} VALUES ${Array(count).fill(row).join(", ")}`, chunk.flat());
    i += count;
  }
}

/**
 * Deletes an org's executions older than its `count`-th newest, walking the
 * org's index; run rows go with them. An org with fewer keeps them all: the
 * comparison with no row is NULL.
 */
async function keepNewest(tx: Sql, orgId: string, count: number): Promise<void> {
  await tx.run(
    `DELETE FROM executions WHERE resource_owner = @orgId AND (started_at, id) < (
       SELECT started_at, id FROM executions WHERE resource_owner = @orgId
       ORDER BY started_at DESC, id DESC LIMIT 1 OFFSET @skip)`,
    { orgId, skip: count - 1 },
  );
}

export interface ExecutionLog {
  /** Queues a record; it is written on the event loop's next turn, with whatever else came in this one. */
  append(record: ExecutionRecord): void;
  /** Writes what is queued now, and settles once every record appended so far is written or dropped (before reads, pruning and shutdown). */
  flush(): Promise<void>;
  /** Reads the records, after every one appended so far is written. */
  read<T>(query: (sql: Sql) => Promise<T>): Promise<T>;
}

const maxBatch = 256;

/**
 * Execution records written behind the answers, batched: under load one
 * transaction carries every record of an event-loop turn instead of one
 * each, and the caller's answer does not wait for the write. The price is
 * that a crash (kill -9) loses the records not yet written; a shutdown
 * loses none. A write that fails is logged and its batch dropped: records
 * are a log of what ran, and the callers already have their answers.
 * `maxPerOrg` is enforced as each batch is written (saveExecutions).
 */
export function createExecutionLog(db: SqlDatabase, log: Logger, maxPerOrg?: number): ExecutionLog {
  let pending: ExecutionRecord[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  // Each batch is written after the one taken before it: none twice, none out of order.
  let written: Promise<void> = Promise.resolve();

  async function write(batch: ExecutionRecord[]): Promise<void> {
    try {
      await saveExecutions(db, batch, maxPerOrg);
    } catch (err) {
      log.error("execution records could not be written; they are lost", { err, count: batch.length });
    }
  }
  function flush(): Promise<void> {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (pending.length > 0) {
      const batch = pending;
      pending = [];
      written = written.then(() => write(batch));
    }
    return written;
  }
  return {
    append(record) {
      pending.push(record);
      if (pending.length >= maxBatch) void flush();
      else scheduled ??= setImmediate(() => void flush());
    },
    flush,
    async read(query) {
      await flush();
      return query(db);
    },
  };
}

/**
 * Deletes executions older than `maxAgeMs`; returns how many went (their run
 * rows go with them). The count per org needs no timer: saveExecutions keeps
 * it as it writes.
 */
export async function pruneExecutions(sql: Sql, maxAgeMs: number, now: Date = new Date()): Promise<number> {
  return sql.run("DELETE FROM executions WHERE started_at < ?", [now.getTime() - maxAgeMs]);
}
