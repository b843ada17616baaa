import path from "node:path";
import { createTokenStore, type TokenStore } from "./auth/token-store.js";
import type { CommandDeps } from "./command/command-context.js";
import { registerQueryFunctions } from "./query/action-view.js";
import { type Db, openDatabase } from "./store/database.js";
import { createIdGenerator } from "./store/id-generator.js";
import { createSqliteEventStore } from "./store/sqlite-event-store.js";

export const databaseFile = "actiond.db";

export interface DataDir {
  dir: string;
  db: Db;
  commands: CommandDeps;
  tokens: TokenStore;
  close(): void;
}

/**
 * Opens the data directory's database, migrated and ready, with the stores
 * built on it. The server and the CLI both use this, so a CLI change lands
 * in the same tables the running server reads.
 */
export function openDataDir(dir: string): DataDir {
  const db = openDatabase(path.join(dir, databaseFile));
  registerQueryFunctions(db);
  return {
    dir,
    db,
    commands: { store: createSqliteEventStore(db), newId: createIdGenerator() },
    tokens: createTokenStore(db),
    close: () => db.close(),
  };
}
