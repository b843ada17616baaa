import Database from "better-sqlite3";
import { createPrivateFile } from "./private-file.js";

/** A held lock; releasing it lets the next holder in. */
export interface ExclusiveLock {
  release(): void;
}

/**
 * Takes SQLite's exclusive lock on `file` (an empty database kept only for
 * that) and holds it until released or until the process ends. It is an
 * operating-system file lock: when the process dies, even by kill -9, the lock
 * goes with it, so no stale lock is ever left behind. Another holder, in this
 * process or another, makes this answer undefined at once.
 */
export function takeExclusiveLock(file: string): ExclusiveLock | undefined {
  createPrivateFile(file);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("journal_mode = MEMORY");
    // In exclusive locking mode a connection keeps the lock of its first write until it closes.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE; COMMIT");
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === "SQLITE_BUSY") return undefined;
    throw err;
  }
  // The closure keeps the connection alive: a collected connection would close and drop the lock.
  return { release: () => db.close() };
}
