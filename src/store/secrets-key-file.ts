import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { takeExclusiveLock } from "./exclusive-lock.js";
import { privateDirMode, privateFileMode } from "./private-file.js";
import { secretsKeyBytes } from "./secret-box.js";

/** The key file's name in the data dir, unless --secrets-key-file puts it elsewhere. */
export const secretsKeyFileName = "secrets.key";

/** Where the key file is when no --secrets-key-file names one. */
export function defaultSecretsKeyFile(dataDir: string): string {
  return path.join(dataDir, secretsKeyFileName);
}

/** Enough for a rotation in progress on every node, few enough that each open finds its key at once. */
export const maxSecretsKeys = 8;

/**
 * The keys in the file, the sealing key first; undefined when there is no
 * file. The file is the keys' raw bytes one after the other, so a file of one
 * key is the single key file of older versions.
 */
export function readKeyFile(file: string): Buffer[] | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const count = bytes.length / secretsKeyBytes;
  if (!Number.isInteger(count) || count < 1 || count > maxSecretsKeys) {
    throw new Error(`${file}: a secrets key file holds 1 to ${maxSecretsKeys} keys of ${secretsKeyBytes} bytes, this one holds ${bytes.length} bytes`);
  }
  return Array.from({ length: count }, (_, i) => bytes.subarray(i * secretsKeyBytes, (i + 1) * secretsKeyBytes));
}

/** 32 random bytes: a new key. */
export function newSecretsKey(): Buffer {
  return crypto.randomBytes(secretsKeyBytes);
}

/**
 * The keys in the file, which is created on first use with one new key,
 * owner-only. It is written beside its final name and linked into place, so a
 * server and a CLI starting at once agree on one key, and no reader ever sees
 * a partial file.
 */
export function ensureKeyFile(file: string): Buffer[] {
  const keys = readKeyFile(file);
  if (keys) return keys;
  const temp = writeTemp(file, [newSecretsKey()]);
  try {
    fs.linkSync(temp, file);
  } catch (err) {
    // Another process created it first: its key is the one.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.unlinkSync(temp);
  }
  return readKeyFile(file)!;
}

/**
 * Changes the keys in the file, which must exist: `change` gets the keys
 * there now and answers the keys to write. One change at a time (a lock
 * beside the file), so two at once cannot drop each other's key; the file is
 * replaced whole by a rename, so a server reading it meanwhile sees the old
 * keys or the new.
 */
export function changeKeyFile<T>(file: string, change: (keys: Buffer[]) => { keys: Buffer[]; result: T }): T {
  const lock = takeExclusiveLock(`${file}.lock`);
  if (!lock) throw new Error(`${file} is being changed by another command; try again when it has finished`);
  try {
    const current = readKeyFile(file);
    // A mistyped path must not become a new key file whose keys open nothing the database holds.
    if (!current) throw new Error(`there is no secrets key file at ${file}: a server creates it on its first start`);
    const { keys, result } = change(current);
    if (keys.length < 1 || keys.length > maxSecretsKeys) throw new Error(`a secrets key file holds 1 to ${maxSecretsKeys} keys, not ${keys.length}`);
    const temp = writeTemp(file, keys);
    fs.renameSync(temp, file);
    syncDir(path.dirname(file));
    return result;
  } finally {
    lock.release();
  }
}

function writeTemp(file: string, keys: Buffer[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(temp, "wx", privateFileMode);
  try {
    fs.writeSync(fd, Buffer.concat(keys));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

/** A rename lasts through a crash only once the directory is synced too. */
function syncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
