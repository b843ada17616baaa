import { parseArgs } from "node:util";
import { resealAggregates } from "../command/reseal-commands.js";
import type { DataDir } from "../data-dir.js";
import type { LiveSecretBox } from "../store/live-secret-box.js";
import { aggregatesSealedWithOtherKeys, countSealedByKey, openSecretBox } from "../store/sealed-secrets.js";
import { secretsKeyId } from "../store/secret-box.js";
import { changeKeyFile, maxSecretsKeys, newSecretsKey, readKeyFile } from "../store/secrets-key-file.js";
import { CliError, type CliIo, UsageError, formatTable } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, resolveSecretsKeyFile, secretsKeyFileHelp, withDataDir } from "./data-dir-option.js";

export const secretsKeyHelp = `Usage: actiond secrets-key <command>

The key file holds one or more keys: the first seals new values, every key
opens what it sealed. Servers read the file again when it changes, on SIGHUP,
and at start. docs/secrets.md, "Rotating the key file", has the whole procedure.

Commands:
  list                  the keys in the file (ids only), which one seals, and
                        how many values in the database each one sealed
  rotate                add a new key that seals from now on, then reseal every
                        value with it; the old key stays in the file (one node)
  add                   add a new key that opens but does not seal yet; prints
                        its id (several nodes: copy the file to every node)
  use KEY_ID            make a key in the file the one that seals
  reseal                seal every value again with the key that seals
  remove KEY_ID         remove a key from the file; refused while it seals or
                        while the database holds a value it sealed

Options:
${dataDirHelp}
${secretsKeyFileHelp}
  --help
`;

const subcommands = ["list", "rotate", "add", "use", "reseal", "remove"];

/** `secrets-key list|rotate|add|use|reseal|remove`: the key file, and the database's values sealed with its keys. */
export async function runSecretsKeyCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...dataDirOptions, "secrets-key-file": { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) return io.stdout(secretsKeyHelp);
  const [sub, ...rest] = positionals;
  if (!sub) throw new UsageError("secrets-key needs a command");
  if (!subcommands.includes(sub)) throw new UsageError(`unknown secrets-key command "${sub}"`);
  const file = resolveSecretsKeyFile(values["secrets-key-file"], values["data-dir"], io.env);
  keysIn(file);
  const keyArgument = () => {
    if (rest.length !== 1) throw new UsageError(`secrets-key ${sub} needs exactly one KEY_ID`);
    return rest[0]!;
  };
  const noArguments = () => {
    if (rest.length !== 0) throw new UsageError(`secrets-key ${sub} takes no arguments`);
  };
  // The box refuses a key file that lacks a key the database needs, before anything changes.
  const withBox = (fn: (dir: DataDir, secrets: LiveSecretBox) => Promise<void>) =>
    withDataDir(values, io, async (dir) => fn(dir, await openSecretBox(dir.db, file)));
  const reseal = async (dir: DataDir, secrets: LiveSecretBox) => {
    const count = await resealAggregates({ ...dir.commands, secrets }, "cli", await aggregatesSealedWithOtherKeys(dir.db, secrets.keyId));
    io.stderr(`${valueCount(count)} sealed again with key ${secrets.keyId}\n`);
  };

  switch (sub) {
    case "list":
      noArguments();
      return withDataDir(values, io, async (dir) => {
        const keyIds = keysIn(file).map(secretsKeyId);
        const counts = await countSealedByKey(dir.db);
        const rows = keyIds.map((id, i) => [id, i === 0 ? "seals" : "opens", String(counts.get(id) ?? 0)]);
        for (const [id, count] of counts) if (!keyIds.includes(id)) rows.push([id, "missing", String(count)]);
        io.stdout(formatTable(["KEY ID", "ROLE", "VALUES"], rows));
      });
    case "add": {
      noArguments();
      const id = addKey(file, false);
      io.stdout(`${id}\n`);
      return io.stderr(`key ${id} added to ${file}: it opens but does not seal; once every node's key file holds it, run "actiond secrets-key use ${id}"\n`);
    }
    case "use": {
      const id = keyArgument();
      changeKeyFile(file, (keys) => {
        const key = keys.find((k) => secretsKeyId(k) === id);
        if (!key) throw new CliError(`${file} holds no key ${id}`);
        return { keys: [key, ...keys.filter((k) => k !== key)], result: undefined };
      });
      return io.stderr(`key ${id} seals from now on; run "actiond secrets-key reseal" to seal the values sealed before with it\n`);
    }
    case "rotate":
      noArguments();
      return withBox(async (dir, secrets) => {
        io.stdout(`${addKey(file, true)}\n`);
        // The box reads the changed file again: the new key seals.
        await reseal(dir, secrets);
      });
    case "reseal":
      noArguments();
      return withBox(reseal);
    case "remove": {
      const id = keyArgument();
      const removable = (keys: Buffer[]) => {
        const index = keys.findIndex((k) => secretsKeyId(k) === id);
        if (index < 0) throw new CliError(`${file} holds no key ${id}`);
        if (index === 0) throw new CliError(`key ${id} seals: make another key seal first ("actiond secrets-key use KEY_ID")`);
        return index;
      };
      removable(keysIn(file));
      return withDataDir(values, io, async (dir) => {
        const count = (await countSealedByKey(dir.db)).get(id) ?? 0;
        if (count > 0) throw new CliError(`the database holds ${valueCount(count)} sealed with key ${id}: run "actiond secrets-key reseal" first`);
        changeKeyFile(file, (keys) => {
          const index = removable(keys);
          return { keys: keys.filter((_, i) => i !== index), result: undefined };
        });
        io.stderr(`key ${id} removed from ${file}; a backup taken while it sealed needs a copy of the key file that holds it\n`);
      });
    }
  }
}

const valueCount = (count: number) => `${count} ${count === 1 ? "value" : "values"}`;

/** Adds a new key to the file, first (it seals) or last (it only opens); answers its id. */
function addKey(file: string, seals: boolean): string {
  return changeKeyFile(file, (keys) => {
    if (keys.length >= maxSecretsKeys) throw new CliError(`${file} holds ${keys.length} keys, the most it may: remove one first ("actiond secrets-key remove KEY_ID")`);
    const key = newSecretsKey();
    return { keys: seals ? [key, ...keys] : [...keys, key], result: secretsKeyId(key) };
  });
}

/** The keys in the file; the commands never create one, as a mistyped path would make a key file that opens nothing. */
function keysIn(file: string): Buffer[] {
  const keys = readKeyFile(file);
  if (!keys) throw new CliError(`there is no secrets key file at ${file}: a server creates it on its first start`);
  return keys;
}
