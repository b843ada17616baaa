import type { ExecutionRecord, Outcome } from "../domain/execution-record.js";
import { executionErrors } from "../domain/execution-errors.js";
import type { Sql } from "../store/sql.js";
import type { Page } from "./page.js";

export interface ExecutionFilter extends Page {
  actionId?: string;
  flowType?: string;
  triggerType?: string;
  outcome?: Outcome;
  startedAfter?: Date;
  startedBefore?: Date;
  /** Only executions this ZITADEL target's endpoint ran. */
  zitadelTargetId?: string;
}

function fromRow(row: { record: string }): ExecutionRecord {
  const parsed = JSON.parse(row.record) as ExecutionRecord & { startedAt: string };
  return { ...parsed, startedAt: new Date(parsed.startedAt) };
}

/**
 * A page's budget in bytes, so the answer fits one message however large the
 * records are: the page ends before the record that would pass `maxBytes`
 * (measured by `sizeOf`), except that its first record always comes.
 */
export interface PageBytes {
  maxBytes: number;
  sizeOf(record: ExecutionRecord): number;
}

/**
 * Rows read per statement while a byte budget fills a page: what is read past
 * the budget is at most this many records, however large they are.
 */
const rowsPerRead = 32;

const newestFirst = "ORDER BY e.started_at DESC, e.id DESC";

interface RecordRow {
  id: string;
  started_at: number;
  record: string;
}

/**
 * The org's executions matching the filter, newest first, with the total
 * before paging. A page holds at most `limit` records, and fewer when
 * `bytes` runs out first: the next page starts at offset + records returned.
 */
export async function listExecutions(
  sql: Sql,
  orgId: string,
  f: ExecutionFilter,
  bytes?: PageBytes,
): Promise<{ total: number; executions: ExecutionRecord[] }> {
  const where = ["e.resource_owner = ?"];
  const params: (string | number)[] = [orgId];
  const runConditions: string[] = [];
  const runParams: string[] = [];
  if (f.flowType) {
    where.push("e.flow_type = ?");
    params.push(f.flowType);
  }
  if (f.triggerType) {
    where.push("e.trigger_type = ?");
    params.push(f.triggerType);
  }
  if (f.zitadelTargetId) {
    where.push("e.zitadel_target_id = ?");
    params.push(f.zitadelTargetId);
  }
  if (f.startedAfter) {
    where.push("e.started_at > ?");
    params.push(f.startedAfter.getTime());
  }
  if (f.startedBefore) {
    where.push("e.started_at < ?");
    params.push(f.startedBefore.getTime());
  }
  if (f.actionId) {
    runConditions.push("r.action_id = ?");
    runParams.push(f.actionId);
  }
  if (f.outcome) {
    runConditions.push("r.outcome = ?");
    runParams.push(f.outcome);
  }
  // Run filters must hold for the same run: one EXISTS over both.
  if (runConditions.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM execution_runs r WHERE r.execution_id = e.id AND ${runConditions.join(" AND ")})`);
    params.push(...runParams);
  }
  // Each filter is present or absent, so the texts are few enough for the engines to keep them all prepared.
  const matching = { where: where.join(" AND "), params };
  const counted = await sql.get<{ total: number }>(`SELECT COUNT(*) AS total FROM executions e WHERE ${matching.where}`, params);
  const total = counted?.total ?? 0;
  // OFFSET steps over every row it skips: a page past the end is known empty without reading them.
  if (f.offset >= total) return { total, executions: [] };
  if (!bytes) {
    const rows = await sql.all<RecordRow>(`SELECT e.record FROM executions e WHERE ${matching.where} ${newestFirst} LIMIT ? OFFSET ?`, [
      ...params,
      f.limit,
      f.offset,
    ]);
    return { total, executions: rows.map(fromRow) };
  }
  return { total, executions: await readWithinBytes(sql, matching, f, bytes) };
}

/**
 * Reads a page a few rows at a time, and only until its bytes are used up.
 * Each read after the first goes on from the last row read (its time and id),
 * not by offset, so a record written meanwhile is neither read twice nor skipped.
 */
async function readWithinBytes(
  sql: Sql,
  matching: { where: string; params: (string | number)[] },
  page: Page,
  bytes: PageBytes,
): Promise<ExecutionRecord[]> {
  const records: ExecutionRecord[] = [];
  let used = 0;
  let last: RecordRow | undefined;
  while (records.length < page.limit) {
    const count = Math.min(rowsPerRead, page.limit - records.length);
    const rows = last
      ? await sql.all<RecordRow>(
          `SELECT e.id, e.started_at, e.record FROM executions e
           WHERE ${matching.where} AND (e.started_at, e.id) < (?, ?) ${newestFirst} LIMIT ?`,
          [...matching.params, last.started_at, last.id, count],
        )
      : await sql.all<RecordRow>(
          `SELECT e.id, e.started_at, e.record FROM executions e WHERE ${matching.where} ${newestFirst} LIMIT ? OFFSET ?`,
          [...matching.params, count, page.offset],
        );
    for (const row of rows) {
      const record = fromRow(row);
      const size = bytes.sizeOf(record);
      if (records.length > 0 && used + size > bytes.maxBytes) return records;
      used += size;
      records.push(record);
    }
    if (rows.length < count) return records;
    last = rows[rows.length - 1];
  }
  return records;
}

export async function getExecution(sql: Sql, orgId: string, id: string): Promise<ExecutionRecord> {
  const row = await sql.get<{ record: string }>("SELECT record FROM executions WHERE id = ? AND resource_owner = ?", [id, orgId]);
  if (!row) throw executionErrors.notFound();
  return fromRow(row);
}
