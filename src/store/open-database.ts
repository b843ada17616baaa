import path from "node:path";
import type { Logger } from "../logger.js";
import type { SqlDatabase } from "./sql.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";

/** The SQLite file's name in the data dir. */
export const databaseFile = "actiond.db";

export interface DatabaseChoice {
  /** A postgres:// URL; unset: the SQLite file in the data dir. */
  url?: string;
  poolSize?: number;
}

/**
 * Opens the database the configuration names, migrated and ready. The
 * PostgreSQL driver is loaded only for a PostgreSQL URL: it is a good part
 * of the start-up time on SQLite, which never uses it.
 */
export async function openDatabase(dataDir: string, choice: DatabaseChoice, log: Logger): Promise<SqlDatabase> {
  if (!choice.url) return openSqliteDatabase(path.join(dataDir, databaseFile));
  const { openPostgresDatabase } = await import("./postgres/postgres-database.js");
  return openPostgresDatabase({ url: choice.url, poolSize: choice.poolSize, log });
}

/** The URL without its password, for logs. */
export function redactedDatabaseUrl(url: string | undefined): string {
  if (!url) return "sqlite:";
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
