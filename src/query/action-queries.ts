import { actionErrors } from "../domain/action-errors.js";
import { DomainError } from "../domain/errors.js";
import { type Db, prepared } from "../store/database.js";
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
 * deeper than 1000 or with more than 32766 parameters; well below both, more
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
      return filter.state === "unspecified" ? { sql: "0", params: [] } : { sql: "state = ?", params: [filter.state] };
  }
}

/** The org's actions matching every filter, with the total before offset and limit. */
export function searchActions(db: Db, orgId: string, search: ActionSearch): { total: number; actions: ActionView[] } {
  if (search.filters.length > maxActionFilters) throw tooManyFilters();
  const conditions = [{ sql: "resource_owner = ?", params: [orgId] }, ...search.filters.map(filterCondition)];
  const where = conditions.map((c) => `(${c.sql})`).join(" AND ");
  const params = conditions.flatMap((c) => c.params);
  const total = db.prepare(`SELECT COUNT(*) FROM actions WHERE ${where}`).pluck().get(...params) as number;
  // OFFSET steps over every row it skips: a page past the end is known empty without reading them.
  if (search.offset >= total) return { total, actions: [] };
  const dir = search.sortBy === "creation" || search.asc ? "ASC" : "DESC";
  const order = `${orderBy[search.sortBy].replaceAll("%DIR", dir)}, creation_position ${dir}`;
  const rows = db
    .prepare(`SELECT * FROM actions WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .all(...params, search.limit, search.offset) as ActionRow[];
  return { total, actions: rows.map(actionFromRow) };
}

/** The org's action; another org's action or an unknown id is NotFound. */
export function getActionById(db: Db, orgId: string, id: string): ActionView {
  const row = prepared(db, "SELECT * FROM actions WHERE id = ? AND resource_owner = ?").get(id, orgId) as
    | ActionRow
    | undefined;
  if (!row) throw actionErrors.notFoundOnRead();
  return actionFromRow(row);
}
