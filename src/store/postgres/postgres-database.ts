import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Logger } from "../../logger.js";
import type { Sql, SqlDatabase, SqlParams } from "../sql.js";
import { storeErrors } from "../store-errors.js";
import { isRetryableConflict, isUnreachable } from "./errors.js";
import { migrate } from "./migrate.js";
import { type PositionalStatement, positionalValues, toPositional } from "./placeholders.js";

export interface PostgresOptions {
  url: string;
  /** Connections this node keeps at most. */
  poolSize?: number;
  log: Logger;
}

const int8 = 20;
/** Times, positions and counts are int8; every one of them fits a double exactly. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === int8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Writers colliding on one hot aggregate (an org's flows) succeed one per
 * round; the pause before attempt n is random up to 2^n ms (at most 250 ms),
 * so a dozen at once spread out and all get through in well under a second.
 */
const maxAttempts = 16;
const maxPauseMs = 250;

/**
 * Connects a pool to PostgreSQL and brings the schema up to date. Each
 * distinct statement is prepared once per connection (named after its text).
 * Errors that mean the database is unreachable become Unavailable, so callers
 * can tell an outage from a fault, and the pool reconnects by itself when the
 * database is back.
 */
export async function openPostgresDatabase(options: PostgresOptions): Promise<SqlDatabase> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A call fails fast with Unavailable rather than queueing while the database is down.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
    application_name: "actiond",
  });
  // An idle connection the server drops is reported here; the pool replaces it on the next query.
  pool.on("error", (err) => options.log.warn("a PostgreSQL connection failed", { err: err.message }));
  try {
    await guard(() => migrate(pool));
  } catch (err) {
    await pool.end();
    throw err;
  }
  return postgresDatabase(pool);
}

/** Runs `fn`, turning a lost database into Unavailable. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw isUnreachable(err) ? storeErrors.unavailable() : err;
  }
}

function postgresDatabase(pool: pg.Pool): SqlDatabase {
  const statements = new Map<string, PositionalStatement & { name: string }>();
  const query = (on: pg.Pool | pg.PoolClient, sql: string, params?: SqlParams) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = { ...toPositional(sql), name: `s${statements.size + 1}` }));
    const values = positionalValues(statement, params);
    return on.query({ name: statement.name, text: statement.text, values });
  };
  const over = (on: pg.Pool | pg.PoolClient): Sql => ({
    all: <T>(sql: string, params?: SqlParams) => guard(async () => (await query(on, sql, params)).rows as T[]),
    get: <T>(sql: string, params?: SqlParams) => guard(async () => (await query(on, sql, params)).rows[0] as T | undefined),
    run: (sql, params) => guard(async () => (await query(on, sql, params)).rowCount ?? 0),
  });
  const outside = over(pool);

  async function attempt<T>(fn: (tx: Sql) => Promise<T>, isolation: string): Promise<T> {
    const client = await guard(() => pool.connect());
    let broken = false;
    try {
      await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      const result = await fn(over(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw err;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: the pool must not hand it out again.
      client.release(broken);
    }
  }

  return {
    engine: "postgres",
    ...outside,
    async transaction(fn, options) {
      const isolation = options?.isolation === "read-committed" ? "READ COMMITTED" : "SERIALIZABLE";
      for (let n = 1; ; n++) {
        try {
          return await guard(() => attempt(fn, isolation));
        } catch (err) {
          if (!isRetryableConflict(err)) throw err;
          if (n === maxAttempts) throw storeErrors.contended();
          await sleep(Math.random() * Math.min(maxPauseMs, 2 ** n));
        }
      }
    },
    async ping() {
      try {
        await pool.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}
