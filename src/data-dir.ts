import path from "node:path";
import { adminTokenFile } from "./auth/bootstrap.js";
import { createTokenStore, type TokenStore } from "./auth/token-store.js";
import type { CommandDeps } from "./command/command-context.js";
import { type PermissionReport, tightenDataDir } from "./data-dir-permissions.js";
import type { Logger } from "./logger.js";
import { createEventStore } from "./store/event-store.js";
import { type ExclusiveLock, takeExclusiveLock } from "./store/exclusive-lock.js";
import { createIdGenerator } from "./store/id-generator.js";
import { leaseMachineId } from "./store/machine-lease.js";
import { type DatabaseChoice, databaseFile, openDatabase } from "./store/open-database.js";
import { secretsKeyFileName } from "./store/secrets-key-file.js";
import type { SqlDatabase } from "./store/sql.js";

export { databaseFile };
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
  `${secretsKeyFileName}.lock`,
];

export interface DataDir {
  dir: string;
  db: SqlDatabase;
  commands: CommandDeps;
  tokens: TokenStore;
  /** What an older actiond left open to others, and what of it is owner-only now. */
  permissions: PermissionReport;
  /** Gives the machine id back and closes the database. */
  close(): Promise<void>;
}

/**
 * Opens the data directory and the database (its SQLite file, or the
 * PostgreSQL the choice names), migrated and ready, with the stores built on
 * it. The server and the CLI both use this, so a CLI change lands in the
 * same tables the running servers read.
 */
export async function openDataDir(dir: string, choice: DatabaseChoice, log: Logger): Promise<DataDir> {
  const permissions = tightenDataDir(dir, dataFiles);
  const db = await openDatabase(dir, choice, log);
  try {
    const lease = await leaseMachineId(db, log);
    return {
      dir,
      db,
      commands: { store: createEventStore(db), newId: createIdGenerator(lease.current) },
      tokens: createTokenStore(db),
      permissions,
      async close() {
        await lease.release().catch((err) => log.warn("could not give the machine id back", { err: (err as Error).message }));
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * Makes this process the one server of the data dir. With SQLite the data dir
 * holds the database, and two servers on it would each keep state the other
 * does not see (the per-org limits of their worker pools); with PostgreSQL
 * each node has a data dir of its own (its admin token, its lock). The CLI
 * works beside the server and never takes this lock.
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
