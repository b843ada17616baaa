import { parseArgs } from "node:util";
import { checkProjections } from "../store/projection-check.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, withDataDir } from "./data-dir-option.js";

export const checkHelp = `Usage: actiond check

Replays the event log into a scratch database and compares every projection
table with what the events say: after a crash, or on suspicion. Prints the
differences and exits 1 if there are any; reads only, safe beside the servers.

Options:
${dataDirHelp}
  --help
`;

/** `check`: the projections against a replay of the events. */
export async function runCheckCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...dataDirOptions, help: { type: "boolean" } } });
  if (values.help) return io.stdout(checkHelp);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { events, differences } = await withDataDir(values, io, (dir) => checkProjections(dir.db));
  if (differences.length > 0) {
    io.stdout(differences.join("\n") + "\n");
    throw new CliError(`the projections differ from a replay of ${events} events in ${differences.length} rows`);
  }
  io.stdout(`the projections match a replay of ${events} events\n`);
}
