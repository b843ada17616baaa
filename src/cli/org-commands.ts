import { parseArgs } from "node:util";
import { addOrg } from "../command/org-commands.js";
import { listOrgs } from "../query/org-queries.js";
import { type CliIo, UsageError, formatTable } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, withDataDir } from "./data-dir-option.js";

export const orgHelp = `Usage: actiond org <command>

Commands:
  create --name NAME [--id ID]
                        create an organisation; prints its id alone on stdout.
                        --id gives it that id, e.g. the ZITADEL org's own id, so
                        that ZITADEL's calls for that org run its flows
  list                  list organisations

Options:
${dataDirHelp}
  --help
`;

/** `org create` and `org list`. */
export async function runOrgCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: "string" }, id: { type: "string" }, ...dataDirOptions, help: { type: "boolean" } },
  });
  if (values.help) return io.stdout(orgHelp);
  const [sub, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

  if (sub === "create") {
    const name = values.name?.trim();
    if (!name) throw new UsageError("org create needs --name NAME");
    return withDataDir(values, io, async (dir) => io.stdout((await addOrg(dir.commands, "cli", name, values.id)) + "\n"));
  }
  if (sub === "list") {
    return withDataDir(values, io, async (dir) => {
      const rows = (await listOrgs(dir.db)).map((o) => [o.id, o.name, o.creationDate.toISOString()]);
      io.stdout(formatTable(["ID", "NAME", "CREATED"], rows));
    });
  }
  throw new UsageError(sub ? `unknown org command "${sub}"` : "org needs a command");
}
