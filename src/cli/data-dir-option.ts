import path from "node:path";
import { type DataDir, openDataDir } from "../data-dir.js";
import { defaultSecretsKeyFile } from "../store/secret-box.js";

export const dataDirHelp = "  --data-dir DIR        data directory (env ACTIOND_DATA_DIR, default ./data)";

/** The same data directory rule as the server: flag, then ACTIOND_DATA_DIR, then ./data. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? env.ACTIOND_DATA_DIR ?? "./data");
}

/** Opens the data directory the flag or environment names, runs `fn` on it and closes it, whatever `fn` does. */
export function withDataDir<T>(flag: string | undefined, env: Record<string, string | undefined>, fn: (dir: DataDir) => T): T {
  const dir = openDataDir(resolveDataDir(flag, env));
  try {
    return fn(dir);
  } finally {
    dir.close();
  }
}

export const secretsKeyFileHelp =
  "  --secrets-key-file FILE\n                        the key that seals signing keys (env ACTIOND_SECRETS_KEY_FILE,\n                        default <data-dir>/secrets.key); the server's key file";

/** The same key file rule as the server (config.ts): flag, then ACTIOND_SECRETS_KEY_FILE, then secrets.key in the data dir. */
export function resolveSecretsKeyFile(flag: string | undefined, dataDirFlag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? (env.ACTIOND_SECRETS_KEY_FILE || defaultSecretsKeyFile(resolveDataDir(dataDirFlag, env))));
}
