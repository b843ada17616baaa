import path from "node:path";
import { parseDatabaseUrl } from "../config.js";
import { type DataDir, openDataDir } from "../data-dir.js";
import { createLogger } from "../logger.js";
import { defaultSecretsKeyFile } from "../store/secrets-key-file.js";
import { type CliIo, UsageError } from "./cli-io.js";

export const dataDirHelp = `  --data-dir DIR        data directory (env ACTIOND_DATA_DIR, default ./data)
  --database URL        the servers' database (env ACTIOND_DATABASE_URL): postgres://…,
                        or sqlite: (the default) for actiond.db in the data dir`;

/** The parseArgs options every command that opens the data directory takes. */
export const dataDirOptions = {
  "data-dir": { type: "string" },
  database: { type: "string" },
} as const;

export interface DataDirFlags {
  "data-dir"?: string;
  database?: string;
}

/** The same data directory rule as the server: flag, then ACTIOND_DATA_DIR, then ./data. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? env.ACTIOND_DATA_DIR ?? "./data");
}

/** The same database rule as the server (config.ts): flag, then ACTIOND_DATABASE_URL, then SQLite (undefined). */
export function resolveDatabase(flag: string | undefined, env: Record<string, string | undefined>): string | undefined {
  try {
    return parseDatabaseUrl(flag ?? env.ACTIOND_DATABASE_URL ?? "");
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Opens the data directory and database the flags or environment name, runs `fn` on them and closes them, whatever `fn` does. */
export async function withDataDir<T>(flags: DataDirFlags, io: CliIo, fn: (dir: DataDir) => T | Promise<T>): Promise<T> {
  // Only warnings reach the user: the store's notes on a flaky connection.
  const log = createLogger("warn", (line) => io.stderr(line + "\n"));
  const dir = await openDataDir(resolveDataDir(flags["data-dir"], io.env), { url: resolveDatabase(flags.database, io.env) }, log);
  try {
    return await fn(dir);
  } finally {
    await dir.close();
  }
}

export const secretsKeyFileHelp =
  "  --secrets-key-file FILE\n                        the keys that seal secrets and signing keys (env ACTIOND_SECRETS_KEY_FILE,\n                        default <data-dir>/secrets.key); the server's key file";

/** The same key file rule as the server (config.ts): flag, then ACTIOND_SECRETS_KEY_FILE, then secrets.key in the data dir. */
export function resolveSecretsKeyFile(flag: string | undefined, dataDirFlag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? (env.ACTIOND_SECRETS_KEY_FILE || defaultSecretsKeyFile(resolveDataDir(dataDirFlag, env))));
}
