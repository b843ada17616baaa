import type { ExecutionRecord, Outcome } from "../domain/execution-record.js";
import { executionErrors } from "../domain/execution-errors.js";
import { type Db, prepared } from "../store/database.js";
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
 * The org's executions matching the filter, newest first, with the total
 * before paging. A page holds at most `limit` records, and fewer when
 * `bytes` runs out first: the next page starts at offset + records returned.
 */
export function listExecutions(
  db: Db,
  orgId: string,
  f: ExecutionFilter,
  bytes?: PageBytes,
): { total: number; executions: ExecutionRecord[] } {
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
  // Each filter is present or absent, so the texts are few enough to cache them all.
  const sqlWhere = where.join(" AND ");
  const total = prepared(db, `SELECT COUNT(*) FROM executions e WHERE ${sqlWhere}`).pluck().get(...params) as number;
  // OFFSET steps over every row it skips: a page past the end is known empty without reading them.
  if (f.offset >= total) return { total, executions: [] };
  const rows = prepared(
    db,
    `SELECT e.record FROM executions e WHERE ${sqlWhere} ORDER BY e.started_at DESC, e.id DESC LIMIT ? OFFSET ?`,
  ).iterate(...params, f.limit, f.offset) as IterableIterator<{ record: string }>;
  return { total, executions: withinBytes(rows, bytes) };
}

/** Reads rows only until the page's bytes are used up; leaving the loop ends the statement. */
function withinBytes(rows: IterableIterator<{ record: string }>, bytes: PageBytes | undefined): ExecutionRecord[] {
  const page: ExecutionRecord[] = [];
  let used = 0;
  for (const row of rows) {
    const record = fromRow(row);
    const size = bytes ? bytes.sizeOf(record) : 0;
    if (bytes && page.length > 0 && used + size > bytes.maxBytes) break;
    used += size;
    page.push(record);
  }
  return page;
}

export function getExecution(db: Db, orgId: string, id: string): ExecutionRecord {
  const row = prepared(db, "SELECT record FROM executions WHERE id = ? AND resource_owner = ?").get(id, orgId) as
    | { record: string }
    | undefined;
  if (!row) throw executionErrors.notFound();
  return fromRow(row);
}
