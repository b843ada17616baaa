import { isDomainError } from "../domain/errors.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";
import { packageVersion } from "../version.js";

export const cliHelp = `Usage: actiond [command] [options]

Commands:
  serve                 serve the API (the default; see "actiond serve --help")
  org create|list       manage organisations
  token create|list|revoke
                        manage service tokens
  zitadel-target create|list|public-key|add-key|remove-key|delete
                        manage the targets ZITADEL Actions v2 calls
  secret set|list|delete
                        manage an org's secrets (never shown)
  secrets-key list|rotate|add|use|reseal|remove
                        rotate the key that seals secrets and target keys
  backup --to FILE      copy the SQLite database while servers run
  check                 compare the projections with a replay of the event log

Every command takes --help, --data-dir (env ACTIOND_DATA_DIR, default ./data) and
--database (env ACTIOND_DATABASE_URL, default the SQLite file in the data dir).
Org, token, target and secret changes take effect in a running server at once;
a changed secrets key file is read again by running servers.

  actiond --version     print the version
`;

/** What runs a command; each module is loaded only when its command runs, so a CLI call loads little. */
type Command = (args: string[], io: CliIo) => Promise<number | void>;

/** Keyed by what the user typed: a Map, so "toString" is an unknown command, not Object's method. */
const commands: ReadonlyMap<string, () => Promise<Command>> = new Map<string, () => Promise<Command>>([
  ["serve", async () => (await import("./serve-command.js")).runServeCommand],
  ["org", async () => (await import("./org-commands.js")).runOrgCommand],
  ["token", async () => (await import("./token-commands.js")).runTokenCommand],
  ["zitadel-target", async () => (await import("./zitadel-target-commands.js")).runZitadelTargetCommand],
  ["secret", async () => (await import("./secret-commands.js")).runSecretCommand],
  ["secrets-key", async () => (await import("./secrets-key-commands.js")).runSecretsKeyCommand],
  ["backup", async () => (await import("./backup-command.js")).runBackupCommand],
  ["check", async () => (await import("./check-command.js")).runCheckCommand],
]);

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first] = argv;
  if (first === "--version" || first === "-v" || first === "version") {
    io.stdout(`actiond ${packageVersion()}\n`);
    return 0;
  }
  if (first === "--help" || first === "-h" || first === "help") {
    io.stdout(cliHelp);
    return 0;
  }
  const explicit = first !== undefined && !first.startsWith("-");
  const [command, args] = explicit ? [first, argv.slice(1)] : ["serve", argv];
  try {
    const load = commands.get(command);
    if (!load) throw new UsageError(`unknown command "${command}"`);
    const code = await (await load())(args, io);
    return typeof code === "number" ? code : 0;
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      const help = commands.has(command) ? `actiond ${command} --help` : "actiond --help";
      io.stderr(`actiond: ${firstSentence((err as Error).message)} (see "${help}")\n`);
      return 2;
    }
    if (err instanceof CliError || isDomainError(err)) {
      io.stderr(`actiond: ${err.message}\n`);
      return 1;
    }
    io.stderr(`actiond ${command} failed: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}

/** node:util's parseArgs: an unknown flag, or a flag missing its value. */
function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS");
}

/** parseArgs explains at length how to pass a positional that starts with "-"; the first sentence says what is wrong. */
function firstSentence(message: string): string {
  return message.split(/\.\s/)[0]!;
}
