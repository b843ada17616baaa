import type { SqlParams } from "../sql.js";

/** A statement in PostgreSQL's `$n` form, and how to order its values. */
export interface PositionalStatement {
  text: string;
  /** For `@name` statements: the object's keys in `$n` order; undefined for `?` statements. */
  names: string[] | undefined;
}

/**
 * Rewrites the shared SQL's `?` and `@name` placeholders to `$1…$n`. The
 * shared SQL has neither character anywhere else (no literals contain them),
 * which the statements in this repository keep to.
 */
export function toPositional(sql: string): PositionalStatement {
  let count = 0;
  const names: string[] = [];
  const text = sql.replace(/\?|@([A-Za-z_][A-Za-z0-9_]*)/g, (_match, name: string | undefined) => {
    if (name === undefined) return `$${++count}`;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  if (count > 0 && names.length > 0) throw new Error("a statement mixes ? and @name placeholders");
  return { text, names: names.length > 0 ? names : undefined };
}

/** The values in `$n` order; `undefined` binds as NULL. */
export function positionalValues(statement: PositionalStatement, params: SqlParams | undefined): unknown[] {
  if (params === undefined) return [];
  const values = Array.isArray(params)
    ? params
    : (statement.names ?? []).map((name) => (params as Record<string, unknown>)[name]);
  return values.map((v) => (v === undefined ? null : v));
}
