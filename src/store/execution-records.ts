import type { ExecutionRecord } from "../domain/execution-record.js";
import type { Logger } from "../logger.js";
import type { Sql, SqlDatabase } from "./sql.js";

const executionColumns = "executions (id, resource_owner, flow_type, trigger_type, started_at, zitadel_target_id, record)";
const runColumns = "execution_runs (execution_id, position, action_id, outcome)";

/**
 * Stores executions, each with an index row per run (for the action and
 * outcome filters), in one transaction, and adds them to their orgs' counts.
 * With `maxPerOrg` (at least 1), the same transaction drops what falls beyond
 * each written org's newest that many, so the cap holds from the moment a
 * batch is written.
 */
export async function saveExecutions(db: SqlDatabase, records: ExecutionRecord[], maxPerOrg?: number): Promise<void> {
  const executions = records.map((r) => [r.id, r.orgId, r.flowType, r.triggerType, r.startedAt.getTime(), r.zitadelTargetId ?? "", JSON.stringify(r)]);
  const runs = records.flatMap((r) => r.runs.map((run, i) => [r.id, i, run.actionId, run.outcome]));
  const added = new Map<string, number>();
  for (const r of records) added.set(r.orgId, (added.get(r.orgId) ?? 0) + 1);
  await db.transaction(async (tx) => {
    await insertRows(tx, executionColumns, executions);
    await insertRows(tx, runColumns, runs);
    // In one order on every node, so two batches never wait for each other's count rows (docs/storage.md).
    for (const orgId of [...added.keys()].sort()) {
      const total = await addToCount(tx, orgId, added.get(orgId)!);
      if (maxPerOrg !== undefined && total > maxPerOrg) await dropOldest(tx, orgId, total - maxPerOrg);
    }
  }, recordWrites);
}

/**
 * Read committed: an org's count row is the lock its writers queue on, so
 * two nodes' batches never fail each other as they would under serializable,
 * and a batch that fails too often is lost (docs/storage.md, Execution records).
 * Records only: no cached read depends on them (Sql.cachedAll).
 */
const recordWrites = { isolation: "read-committed", recordsOnly: true } as const;

/** Adds to the org's count (taking its row lock until the transaction ends); returns the new total. */
async function addToCount(tx: Sql, orgId: string, added: number): Promise<number> {
  const row = await tx.get<{ total: number }>(
    `INSERT INTO execution_counts (resource_owner, total) VALUES (?, ?)
     ON CONFLICT (resource_owner) DO UPDATE SET total = execution_counts.total + excluded.total RETURNING total`,
    [orgId, added],
  );
  return row!.total;
}

/**
 * Deletes the org's `count` oldest executions, walking its index from the old
 * end, so the cost is what is dropped, not what is kept; run rows go with them.
 */
async function dropOldest(tx: Sql, orgId: string, count: number): Promise<void> {
  const dropped = await tx.run(
    `DELETE FROM executions WHERE id IN (
       SELECT id FROM executions WHERE resource_owner = ? ORDER BY started_at, id LIMIT ?)`,
    [orgId, count],
  );
  await tx.run("UPDATE execution_counts SET total = total - ? WHERE resource_owner = ?", [dropped, orgId]);
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

export interface ExecutionLog {
  /** Queues a record; it is written within `batchWindowMs`, with whatever else came in meanwhile. */
  append(record: ExecutionRecord): void;
  /** Writes what is queued now, and settles once every record appended so far is written or dropped (before reads, pruning and shutdown). */
  flush(): Promise<void>;
  /** Reads the records, after every one appended so far is written. */
  read<T>(query: (sql: Sql) => Promise<T>): Promise<T>;
}

const maxBatch = 256;
/**
 * How long a record may wait for others to share its transaction. Results
 * come back from the workers one at a time, so batching per event-loop turn
 * wrote one record a transaction. Measured on an org at its cap of 10,000, a
 * record cost 189 µs alone, 53 µs in batches of 8 and 34 µs in batches of 32:
 * 20 ms carries about 32 at 1,600 runs a second (docs/worker-pool.md, Records).
 */
const batchWindowMs = 20;

/**
 * Execution records written behind the answers, batched: under load one
 * transaction carries every record of `batchWindowMs` instead of one
 * each, and the caller's answer does not wait for the write. The price is
 * that a crash (kill -9) loses the records not yet written; a shutdown
 * loses none. A write that fails is logged and its batch dropped: records
 * are a log of what ran, and the callers already have their answers.
 * `maxPerOrg` is enforced as each batch is written (saveExecutions).
 */
export function createExecutionLog(db: SqlDatabase, log: Logger, maxPerOrg?: number): ExecutionLog {
  let pending: ExecutionRecord[] = [];
  let scheduled: NodeJS.Timeout | undefined;
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
    if (scheduled) clearTimeout(scheduled);
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
      else scheduled ??= setTimeout(() => void flush(), batchWindowMs);
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
 * rows go with them). One transaction per org, which takes the org's count
 * row before its executions, as a batch does.
 */
export async function pruneExecutions(db: SqlDatabase, maxAgeMs: number, now: Date = new Date()): Promise<number> {
  const before = now.getTime() - maxAgeMs;
  const orgs = await db.all<{ resource_owner: string }>("SELECT DISTINCT resource_owner FROM executions WHERE started_at < ?", [before]);
  let removed = 0;
  for (const { resource_owner: orgId } of orgs) {
    removed += await db.transaction(async (tx) => {
      await tx.run("UPDATE execution_counts SET total = total WHERE resource_owner = ?", [orgId]);
      const dropped = await tx.run("DELETE FROM executions WHERE resource_owner = ? AND started_at < ?", [orgId, before]);
      await tx.run("UPDATE execution_counts SET total = total - ? WHERE resource_owner = ?", [dropped, orgId]);
      return dropped;
    }, recordWrites);
  }
  return removed;
}
