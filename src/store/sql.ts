/**
 * The one way the stores and queries talk to a database, the same for SQLite
 * and PostgreSQL (docs/storage.md). Statements are written once, in the SQL
 * both engines share: `?` placeholders bound from an array, or `@name`
 * placeholders bound from an object, never values spliced into the text.
 * Column aliases are snake_case: PostgreSQL folds unquoted names to lower case.
 */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface Sql {
  /** Every row the statement returns. */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first row, or undefined when there is none. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** Runs a statement for its effect; answers how many rows it inserted, updated or deleted. */
  run(sql: string, params?: SqlParams): Promise<number>;
  /**
   * `all`, answered with the rows read earlier by the same statement and
   * parameters while the engine can tell cheaply that nothing changed since
   * (SQLite: store/sqlite/read-cache.ts). Absent inside transactions and on
   * PostgreSQL; call it through allCached and getCached.
   */
  cachedAll?<T>(sql: string, params: SqlParams): Promise<readonly T[]>;
}

/** For reads made on every call of rows that rarely change (tokens, orgs, actions): cached where the database keeps a cache. */
export function allCached<T>(sql: Sql, text: string, params: SqlParams): Promise<readonly T[]> {
  return sql.cachedAll ? sql.cachedAll<T>(text, params) : sql.all<T>(text, params);
}

/** The first row of allCached. */
export async function getCached<T>(sql: Sql, text: string, params: SqlParams): Promise<T | undefined> {
  return (await allCached<T>(sql, text, params))[0];
}

export type SqlEngine = "sqlite" | "postgres";

export interface TransactionOptions {
  /**
   * "serializable" (the default): the transaction behaves as if it ran alone.
   * "read-committed": each statement sees what was committed when it began;
   * for work that only appends and trims and decides nothing on what it read
   * (execution records), so that writers on several nodes do not make each
   * other fail. SQLite runs every transaction alone either way.
   */
  isolation?: "serializable" | "read-committed";
  /**
   * The transaction writes only execution records, which no cached read
   * depends on: it leaves cached reads standing (Sql.cachedAll), where every
   * other write clears them.
   */
  recordsOnly?: boolean;
}

export interface SqlDatabase extends Sql {
  readonly engine: SqlEngine;
  /**
   * Runs `fn` in one serializable transaction: what it reads is consistent
   * with what it writes, and it commits all or nothing. When the engine
   * refuses the commit because another writer got there first, `fn` runs again
   * from the start (at most a few times, then Aborted), so `fn` must do
   * nothing outside the database that a second run would repeat wrongly.
   * Statements outside a transaction never see one that is still open.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Whether the database answers now: for the health service. */
  ping(): Promise<boolean>;
  /** Waits for the statements in flight, then closes every connection. */
  close(): Promise<void>;
}

/**
 * The SQL expression for the database's clock in milliseconds since the
 * epoch: several nodes agree on it where their own clocks may not.
 */
export const sqlNowMs: Record<SqlEngine, string> = {
  sqlite: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
  postgres: "CAST(extract(epoch FROM clock_timestamp()) * 1000 AS BIGINT)",
};
