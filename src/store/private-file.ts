import fs from "node:fs";
import path from "node:path";

/** Owner-only: the files hold token hashes, scripts and execution records. */
export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/**
 * Creates `file` empty and owner-only, with its directory, unless it exists.
 * SQLite gives a database's -wal, -shm and -journal files the mode of the
 * database file, so they are owner-only too. An existing file is never opened
 * here: closing a descriptor of a file drops every POSIX lock this process
 * holds on it, SQLite's included.
 */
export function createPrivateFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  try {
    fs.closeSync(fs.openSync(file, "wx", privateFileMode));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}
