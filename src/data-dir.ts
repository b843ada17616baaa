import path from "node:path";
import { adminTokenFile } from "./auth/bootstrap.js";
import { createTokenStore, type TokenStore } from "./auth/token-store.js";
import type { CommandDeps } from "./command/command-context.js";
import { type PermissionReport, tightenDataDir } from "./data-dir-permissions.js";
import { registerQueryFunctions } from "./query/action-view.js";
import { type Db, openDatabase } from "./store/database.js";
import { type ExclusiveLock, takeExclusiveLock } from "./store/exclusive-lock.js";
import { createIdGenerator } from "./store/id-generator.js";
import { secretsKeyFileName } from "./store/secret-box.js";
import { createSqliteEventStore } from "./store/sqlite-event-store.js";

export const databaseFile = "actiond.db";
/** Held by the one server of the data dir; the CLI never takes it. */
export const serverLockFile = "actiond.lock";

/** Every file actiond keeps in the data dir, SQLite's side files included. */
export const dataFiles: readonly string[] = [
  databaseFile,
  `${databaseFile}-wal`,
  `${databaseFile}-shm`,
  `${databaseFile}-journal`,
  adminTokenFile,
  serverLockFile,
  secretsKeyFileName,
];

export interface DataDir {
  dir: string;
  db: Db;
  commands: CommandDeps;
  tokens: TokenStore;
  /** What an older actiond left open to others, and what of it is owner-only now. */
  permissions: PermissionReport;
  close(): void;
}

/**
 * Opens the data directory's database, migrated and ready, with the stores
 * built on it. The server and the CLI both use this, so a CLI change lands
 * in the same tables the running server reads.
 */
export function openDataDir(dir: string): DataDir {
  const permissions = tightenDataDir(dir, dataFiles);
  const db = openDatabase(path.join(dir, databaseFile));
  registerQueryFunctions(db);
  return {
    dir,
    db,
    commands: { store: createSqliteEventStore(db), newId: createIdGenerator() },
    tokens: createTokenStore(db),
    permissions,
    close: () => db.close(),
  };
}

/**
 * Makes this process the one server of the data dir. Two servers on one
 * database would each keep state the other does not see (execution records
 * written behind the answers, the worker pool's per-org limits), so a second
 * one is refused; the CLI works beside the server and never takes this lock.
 */
export function lockDataDir(dir: string): ExclusiveLock {
  const lock = takeExclusiveLock(path.join(dir, serverLockFile));
  if (!lock) throw new DataDirInUse(dir);
  return lock;
}

/** Another server holds the data dir: the operator's to resolve, not a crash. */
export class DataDirInUse extends Error {
  override readonly name = "DataDirInUse";

  constructor(dir: string) {
    super(
      `another actiond server is already serving the data directory ${dir} (it holds ${path.join(dir, serverLockFile)}); ` +
        "stop it first, or give this one another --data-dir",
    );
  }
}
