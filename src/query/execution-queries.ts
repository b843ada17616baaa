import type { ExecutionRecord } from "../execution/execution-record.js";
import { DomainError } from "../domain/errors.js";
import type { Outcome } from "../runtime/index.js";
import { type Db, prepared } from "../store/database.js";

export interface ExecutionFilter {
  offset: number;
  limit: number;
  actionId?: string;
  flowType?: string;
  triggerType?: string;
  outcome?: Outcome;
  startedAfter?: Date;
  startedBefore?: Date;
}

export const executionNotFound = () => new DomainError("NotFound", "EXEC-not-found", "Execution not found");

function fromRow(row: { record: string }): ExecutionRecord {
  const parsed = JSON.parse(row.record) as ExecutionRecord & { startedAt: string };
  return { ...parsed, startedAt: new Date(parsed.startedAt) };
}

/** The org's executions matching the filter, newest first, with the total before paging. */
export function listExecutions(db: Db, orgId: string, f: ExecutionFilter): { total: number; executions: ExecutionRecord[] } {
  const where = ["e.resource_owner = ?"];
  const params: (string | number)[] = [orgId];
  const when = (value: string | number | undefined, sql: string, into = where) => {
    if (value === undefined || value === "") return;
    into.push(sql);
    params.push(value);
  };
  when(f.flowType, "e.flow_type = ?");
  when(f.triggerType, "e.trigger_type = ?");
  when(f.startedAfter?.getTime(), "e.started_at > ?");
  when(f.startedBefore?.getTime(), "e.started_at < ?");
  // Run filters must hold for the same run: one EXISTS over both.
  const runConditions: string[] = [];
  when(f.actionId, "r.action_id = ?", runConditions);
  when(f.outcome, "r.outcome = ?", runConditions);
  if (runConditions.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM execution_runs r WHERE r.execution_id = e.id AND ${runConditions.join(" AND ")})`);
  }
  const sqlWhere = where.join(" AND ");
  const total = db.prepare(`SELECT COUNT(*) FROM executions e WHERE ${sqlWhere}`).pluck().get(...params) as number;
  const rows = db
    .prepare(`SELECT e.record FROM executions e WHERE ${sqlWhere} ORDER BY e.started_at DESC, e.id DESC LIMIT ? OFFSET ?`)
    .all(...params, f.limit, f.offset) as { record: string }[];
  return { total, executions: rows.map(fromRow) };
}

export function getExecution(db: Db, orgId: string, id: string): ExecutionRecord {
  const row = prepared(db, "SELECT record FROM executions WHERE id = ? AND resource_owner = ?").get(id, orgId) as
    | { record: string }
    | undefined;
  if (!row) throw executionNotFound();
  return fromRow(row);
}
