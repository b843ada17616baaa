import path from "node:path";
import { parseArgs } from "node:util";
import { databaseFile } from "../data-dir.js";
import { BackupError, backupSqlite } from "../store/sqlite/backup.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, resolveDataDir, resolveDatabase } from "./data-dir-option.js";

export const backupHelp = `Usage: actiond backup --to FILE

Copies the SQLite database to FILE while servers keep running: a consistent
copy, checked, owner-only, and never over an existing file. Restore by
stopping the server and putting the copy in place of actiond.db in the data
dir (README, Backups). Back up the secrets key file beside it: the copy's
sealed secrets open only with that key. On PostgreSQL use pg_dump instead.

Options:
  --to FILE             where the copy goes; must not exist
${dataDirHelp}
  --help
`;

/** `backup --to FILE`: an online copy of the SQLite database. */
export async function runBackupCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { to: { type: "string" }, ...dataDirOptions, help: { type: "boolean" } } });
  if (values.help) return io.stdout(backupHelp);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.to) throw new UsageError("backup needs --to FILE");
  if (resolveDatabase(values.database, io.env)) {
    throw new CliError("the database is PostgreSQL: back it up with pg_dump (README, Backups); backup copies the SQLite file");
  }
  const from = path.join(resolveDataDir(values["data-dir"], io.env), databaseFile);
  const to = path.resolve(values.to);
  try {
    const { pages, bytes } = await backupSqlite(from, to);
    io.stderr(`backed up ${from} to ${to} (${pages} pages, ${bytes} bytes)\n`);
  } catch (err) {
    throw err instanceof BackupError ? new CliError(err.message) : err;
  }
}
