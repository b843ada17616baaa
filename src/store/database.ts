import Database from "better-sqlite3";
import { migrations } from "./migrations.js";
import { createPrivateFile } from "./private-file.js";

export type Db = Database.Database;

const openBusyTimeoutMs = 60_000;
const busyTimeoutMs = 5000;

/**
 * Opens (creating if needed) the database file and brings its schema up to
 * date. WAL with synchronous=NORMAL makes a committed transaction survive a
 * crash of the process (kill -9); only an OS crash or power loss can lose
 * the last commits.
 */
export function openDatabase(file: string): Db {
  if (file !== ":memory:") createPrivateFile(file);
  // Processes opening a fresh file at once take the write lock in turn to
  // switch it to WAL and migrate it: on a busy machine the last of a dozen
  // may wait for seconds, so opening waits longer than a running server will.
  const db = new Database(file, { timeout: openBusyTimeoutMs });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db);
  // Once open, a write waits at most this long for another process (the CLI)
  // to finish its own: better-sqlite3 waits synchronously, on the event loop.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

/**
 * Applies the pending migrations in one write transaction. The version is read
 * again inside it: processes opening a fresh database at the same moment queue
 * on the write lock, and each after the first finds the schema already there.
 * A database that is up to date is never write-locked.
 */
export function migrate(db: Db): void {
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

function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per database handle. */
export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
