import fs from "node:fs";
import path from "node:path";

/** Group and other bits: none of them belong on the data dir or its files. */
const notOwner = 0o077;

export interface PermissionReport {
  /** Paths that were open to others and are owner-only now. */
  tightened: string[];
  /** Paths open to others that this process may not change (another owner). */
  stillOpen: string[];
}

/**
 * Takes away the group and other permissions an older actiond left on the data
 * dir (0755) and its files (0644): they hold token hashes, scripts and
 * execution records. Paths that do not exist yet are created owner-only by
 * whoever creates them (store/private-file.ts).
 */
export function tightenDataDir(dir: string, files: readonly string[]): PermissionReport {
  const report: PermissionReport = { tightened: [], stillOpen: [] };
  for (const p of [dir, ...files.map((f) => path.join(dir, f))]) {
    const mode = modeOf(p);
    if (mode === undefined || (mode & notOwner) === 0) continue;
    try {
      fs.chmodSync(p, mode & ~notOwner);
      report.tightened.push(p);
    } catch {
      report.stillOpen.push(p);
    }
  }
  return report;
}

/** The permission bits of a file or directory; undefined for anything else or nothing. */
function modeOf(p: string): number | undefined {
  try {
    const stat = fs.lstatSync(p);
    return stat.isFile() || stat.isDirectory() ? stat.mode & 0o777 : undefined;
  } catch {
    return undefined;
  }
}
