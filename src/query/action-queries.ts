import { actionErrors } from "../domain/action-errors.js";
import { DomainError } from "../domain/errors.js";
import { getCached, type Sql } from "../store/sql.js";
import { type ActionRow, type ActionView, actionFromRow } from "./action-view.js";
import type { Page } from "./page.js";
import { type TextMatch, textCondition } from "./text-match.js";

export type ActionFilter =
  | { kind: "id"; id: string }
  | { kind: "name"; name: string; match: TextMatch }
  /** "unspecified" matches nothing, as in ZITADEL. */
  | { kind: "state"; state: "active" | "inactive" | "unspecified" };

export interface ActionSearch extends Page {
  asc: boolean;
  /** "creation" is the default: creation order, oldest first. */
  sortBy: "creation" | "name" | "id" | "state";
  filters: ActionFilter[];
}

const orderBy: Record<ActionSearch["sortBy"], string> = {
  creation: "creation_position",
  name: "fold(name) %DIR, name %DIR",
  // Decimal ids without leading zeros: shorter is smaller.
  id: "length(id) %DIR, id %DIR",
  state: "CASE state WHEN 'inactive' THEN 1 ELSE 2 END %DIR",
};

/**
 * Filters are ANDed into one SQL expression, and SQLite refuses an expression
 * deeper than 1000 or with more than 32766 parameters (PostgreSQL, 65535); well below both, more
 * filters are refused as the client's mistake rather than failing as Internal.
 */
export const maxActionFilters = 100;

const tooManyFilters = () =>
  new DomainError("InvalidArgument", "QUERY-too-many-queries", `Too many queries (at most ${maxActionFilters})`);

function filterCondition(filter: ActionFilter): { sql: string; params: string[] } {
  switch (filter.kind) {
    case "id":
      return { sql: "id = ?", params: [filter.id] };
    case "name":
      return textCondition("name", filter.match, filter.name);
    case "state":
      // PostgreSQL wants a boolean in WHERE, and SQLite reads 1 = 0 as one too.
      return filter.state === "unspecified" ? { sql: "1 = 0", params: [] } : { sql: "state = ?", params: [filter.state] };
  }
}

/** The org's actions matching every filter, with the total before offset and limit. */
export async function searchActions(sql: Sql, orgId: string, search: ActionSearch): Promise<{ total: number; actions: ActionView[] }> {
  if (search.filters.length > maxActionFilters) throw tooManyFilters();
  const conditions = [{ sql: "resource_owner = ?", params: [orgId] }, ...search.filters.map(filterCondition)];
  const where = conditions.map((c) => `(${c.sql})`).join(" AND ");
  const params = conditions.flatMap((c) => c.params);
  const counted = await sql.get<{ total: number }>(`SELECT COUNT(*) AS total FROM actions WHERE ${where}`, params);
  const total = counted?.total ?? 0;
  // OFFSET steps over every row it skips: a page past the end is known empty without reading them.
  if (search.offset >= total) return { total, actions: [] };
  const dir = search.sortBy === "creation" || search.asc ? "ASC" : "DESC";
  const order = `${orderBy[search.sortBy].replaceAll("%DIR", dir)}, creation_position ${dir}`;
  const rows = await sql.all<ActionRow>(`SELECT * FROM actions WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...params,
    search.limit,
    search.offset,
  ]);
  return { total, actions: rows.map(actionFromRow) };
}

/** The org's action; another org's action or an unknown id is NotFound. */
export async function getActionById(sql: Sql, orgId: string, id: string): Promise<ActionView> {
  const row = await getCached<ActionRow>(sql, "SELECT * FROM actions WHERE id = ? AND resource_owner = ?", [id, orgId]);
  if (!row) throw actionErrors.notFoundOnRead();
  return actionFromRow(row);
}
