import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { privateFileMode } from "../private-file.js";

export interface BackupResult {
  /** Database pages copied. */
  pages: number;
  bytes: number;
}

/**
 * A consistent copy of a live SQLite database through SQLite's online backup
 * API: it copies page by page and starts over by itself when a writer changes
 * the source mid-copy, so servers keep writing while it runs. The copy is
 * written beside `to` under a temporary name, checked with `quick_check`,
 * made owner-only (it holds token hashes and scripts) and only then renamed
 * into place, so `to` is either absent or whole. An existing `to` is refused,
 * never overwritten.
 */
export async function backupSqlite(from: string, to: string): Promise<BackupResult> {
  if (fs.existsSync(to)) throw new BackupError(`${to} exists; give a new file name`);
  if (!fs.existsSync(from)) throw new BackupError(`no database at ${from}`);
  const partial = path.join(path.dirname(to), `.${path.basename(to)}.partial-${process.pid}`);
  const source = new Database(from, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const { totalPages } = await source.backup(partial);
    fs.chmodSync(partial, privateFileMode);
    checkCopy(partial);
    fs.linkSync(partial, to);
    return { pages: totalPages, bytes: fs.statSync(to).size };
  } finally {
    source.close();
    fs.rmSync(partial, { force: true });
  }
}

/**
 * The copy takes the source's WAL mode; rolled back to a plain journal it is
 * one self-contained file (a server that opens it turns WAL on again).
 */
function checkCopy(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma("journal_mode = DELETE");
    const verdict = copy.pragma("quick_check", { simple: true });
    if (verdict !== "ok") throw new BackupError(`the copy failed SQLite's quick_check: ${String(verdict)}`);
  } finally {
    copy.close();
  }
}

/** Something the operator can fix: the source is missing, or the target exists. */
export class BackupError extends Error {
  override readonly name = "BackupError";
}
