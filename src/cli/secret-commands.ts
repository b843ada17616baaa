import fs from "node:fs";
import { parseArgs } from "node:util";
import { removeSecret, setSecret } from "../command/secret-commands.js";
import type { Caller } from "../domain/caller.js";
import { orgExists } from "../query/org-queries.js";
import { listSecrets } from "../query/secret-queries.js";
import { openSecretBox } from "../store/sealed-secrets.js";
import { CliError, type CliIo, UsageError, formatTable } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, resolveSecretsKeyFile, secretsKeyFileHelp, withDataDir } from "./data-dir-option.js";

export const secretHelp = `Usage: actiond secret <command> --org ID

Commands:
  set NAME --value-file PATH
                        create or replace the org's secret NAME; the value is
                        the file's content without one final newline (never an
                        argument: arguments show in the process list)
  list                  the org's secrets: names, created and changed, never values
  delete NAME           delete the org's secret NAME

Scripts read a secret with require("actiond/secrets").get("NAME").

Options:
  --org ID              the org whose secrets these are
${dataDirHelp}
${secretsKeyFileHelp}
  --help
`;

/** `secret set|list|delete`: the same commands SecretService runs, on the same database. */
export async function runSecretCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: "string" }, "value-file": { type: "string" }, ...dataDirOptions, "secrets-key-file": { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) return io.stdout(secretHelp);
  const [sub, ...rest] = positionals;
  const org = values.org;
  if (!sub) throw new UsageError("secret needs a command");
  if (!org) throw new UsageError(`secret ${sub} needs --org ID`);
  const caller: Caller = { orgId: org, subject: "cli" };
  const positional = (count: number, what: string) => {
    if (rest.length !== count) throw new UsageError(`secret ${sub} needs ${what}`);
    return rest;
  };
  const withOrg = (fn: Parameters<typeof withDataDir>[2]) =>
    withDataDir(values, io, async (dir) => {
      if (!(await orgExists(dir.db, org))) throw new CliError(`org ${org} does not exist`);
      await fn(dir);
    });

  switch (sub) {
    case "set": {
      const [name] = positional(1, "exactly one NAME");
      const file = values["value-file"];
      if (!file) throw new UsageError("secret set needs --value-file PATH");
      const value = fs.readFileSync(file, "utf8").replace(/\r?\n$/, "");
      return withOrg(async (dir) => {
        // Sealed under the key file the server uses, or a start would refuse the database.
        const secrets = await openSecretBox(dir.db, resolveSecretsKeyFile(values["secrets-key-file"], values["data-dir"], io.env));
        await setSecret({ ...dir.commands, secrets }, caller, name!, value);
        io.stderr(`secret ${name} of org ${org} set\n`);
      });
    }
    case "list":
      positional(0, "no arguments");
      return withOrg(async (dir) => {
        const rows = (await listSecrets(dir.db, org)).map((s) => [s.name, s.creationDate.toISOString(), s.createdBy, s.changeDate.toISOString(), s.changedBy]);
        io.stdout(formatTable(["NAME", "CREATED", "BY", "CHANGED", "BY"], rows));
      });
    case "delete": {
      const [name] = positional(1, "exactly one NAME");
      return withOrg(async (dir) => {
        await removeSecret(dir.commands, caller, name!);
        io.stderr(`secret ${name} of org ${org} deleted\n`);
      });
    }
    default:
      throw new UsageError(`unknown secret command "${sub}"`);
  }
}
