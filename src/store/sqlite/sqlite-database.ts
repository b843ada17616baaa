import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { createPrivateFile } from "../private-file.js";
import type { Sql, SqlDatabase, SqlParams } from "../sql.js";
import { migrations } from "./migrations.js";
import { ReadCache } from "./read-cache.js";
import { TurnLock } from "./turn-lock.js";

const openBusyTimeoutMs = 60_000;
const busyTimeoutMs = 5000;

/**
 * Opens (creating if needed) an SQLite database file and brings its schema up
 * to date. WAL with synchronous=NORMAL makes a committed transaction survive
 * a crash of the process (kill -9); only an OS crash or power loss can lose
 * the last commits.
 */
export function openSqliteDatabase(file: string): SqlDatabase {
  if (file !== ":memory:") createPrivateFile(file);
  // Processes opening a fresh file at once take the write lock in turn to
  // switch it to WAL and migrate it: on a busy machine the last of a dozen
  // may wait for seconds, so opening waits longer than a running server will.
  const db = new Database(file, { timeout: openBusyTimeoutMs });
  switchToWal(db);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db);
  // Once open, a write waits at most this long for another process (the CLI)
  // to finish its own: better-sqlite3 waits synchronously, on the event loop.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // The shared SQL's case folding is Unicode-aware, as JavaScript's (the PostgreSQL schema defines the same function).
  db.function("fold", { deterministic: true }, (s: unknown) => String(s).toLowerCase());
  return sqliteDatabase(db);
}

/**
 * A fresh file starts in rollback-journal mode, where two processes that both
 * hold a read lock and want the exclusive lock the switch to WAL needs would
 * wait for each other: SQLite answers one of them SQLITE_BUSY at once, without
 * its busy timeout ("database is locked", seen with a dozen processes opening
 * one fresh file). That one tries again after a short pause, as long as
 * opening may wait. Once the file is in WAL mode the pragma takes no lock.
 */
function switchToWal(db: Database.Database): void {
  const giveUpAt = performance.now() + openBusyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== "SQLITE_BUSY" || performance.now() >= giveUpAt) throw err;
      // Opening is synchronous: block this thread briefly, as the busy timeout itself would.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.random() * 40);
    }
  }
}

/**
 * Applies the pending migrations in one write transaction. The version is read
 * again inside it: processes opening a fresh database at the same moment queue
 * on the write lock, and each after the first finds the schema already there.
 * A database that is up to date is never write-locked.
 */
function migrate(db: Database.Database): void {
  if (schemaVersion(db) === migrations.length) return;
  db.transaction(() => {
    const current = schemaVersion(db);
    if (current > migrations.length) {
      throw new Error(`database schema version ${current} is newer than this actiond (${migrations.length})`);
    }
    for (const sql of migrations.slice(current)) db.exec(sql);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}

function schemaVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** better-sqlite3 refuses `undefined`; both engines take it as NULL. */
function bind(params: SqlParams | undefined): unknown[] {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params.map((p) => (p === undefined ? null : p));
  return [params];
}

function sqliteDatabase(db: Database.Database): SqlDatabase {
  const statements = new Map<string, Database.Statement>();
  // What this connection has written that a cached read may depend on; other connections' commits move data_version.
  let writes = 0;
  let recordsOnly = false;
  const prepared = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
    if (!stmt.readonly && !recordsOnly) writes++;
    return stmt;
  };
  // Synchronous: better-sqlite3 runs a statement to the end before it returns.
  const direct = {
    all: <T>(sql: string, params?: SqlParams) => prepared(sql).all(...bind(params)) as T[],
    get: <T>(sql: string, params?: SqlParams) => prepared(sql).get(...bind(params)) as T | undefined,
    run: (sql: string, params?: SqlParams) => prepared(sql).run(...bind(params)).changes,
  };
  const inTransaction: Sql = {
    all: async (sql, params) => direct.all(sql, params),
    get: async (sql, params) => direct.get(sql, params),
    run: async (sql, params) => direct.run(sql, params),
  };
  const turns = new TurnLock();
  const cache = new ReadCache();
  const dataVersion = db.prepare("PRAGMA data_version").pluck();

  return {
    engine: "sqlite",
    all: (sql, params) => turns.outside(() => direct.all(sql, params)),
    get: (sql, params) => turns.outside(() => direct.get(sql, params)),
    run: (sql, params) => turns.outside(() => direct.run(sql, params)),
    // The mark and the read run with no await between them: no write can come in between.
    cachedAll: (sql, params) =>
      turns.outside(() => cache.read(`${dataVersion.get() as number}:${writes}`, `${sql}\u0000${JSON.stringify(params)}`, () => direct.all(sql, params))),
    // IMMEDIATE takes the write lock at BEGIN: no other writer, in this process or another, can interleave.
    transaction: (fn, options) =>
      turns.hold(async () => {
        await beginImmediate(db);
        recordsOnly = options?.recordsOnly === true;
        try {
          const result = await fn(inTransaction);
          db.exec("COMMIT");
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw err;
        } finally {
          recordsOnly = false;
        }
      }),
    ping: () => turns.outside(() => direct.get("SELECT 1 AS ok") !== undefined),
    close: () =>
      turns.outside(() => {
        db.close();
      }),
  };
}

/** How long a transaction waits, in turns, for another process's write lock (the servers', the CLI's). */
const beginPatienceMs = 60_000;

/**
 * BEGIN IMMEDIATE, waiting for another process's write lock in short async
 * pauses once the busy timeout is spent: a dozen processes opening one fresh
 * database (each leases a machine id) on a busy machine may queue longer than
 * the event loop should block in one wait.
 */
async function beginImmediate(db: Database.Database): Promise<void> {
  const giveUpAt = performance.now() + beginPatienceMs;
  for (;;) {
    try {
      db.exec("BEGIN IMMEDIATE");
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== "SQLITE_BUSY" || performance.now() >= giveUpAt) throw err;
      await sleep(10 + Math.random() * 40);
    }
  }
}
