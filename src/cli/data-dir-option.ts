import path from "node:path";

export const dataDirHelp = "  --data-dir DIR        data directory (env ACTIOND_DATA_DIR, default ./data)";

/** The same data directory rule as the server: flag, then ACTIOND_DATA_DIR, then ./data. */
export function resolveDataDir(flag: string | undefined, env: Record<string, string | undefined>): string {
  return path.resolve(flag ?? env.ACTIOND_DATA_DIR ?? "./data");
}
