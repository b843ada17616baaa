import { isDomainError } from "../domain/errors.js";
import { checkHelp, runCheckCommand } from "./check-command.js";
import { CliError, type CliIo, UsageError } from "./cli-io.js";
import { orgHelp, runOrgCommand } from "./org-commands.js";
import { runServeCommand, serveHelp } from "./serve-command.js";
import { runTokenCommand, tokenHelp } from "./token-commands.js";
import { runZitadelTargetCommand, zitadelTargetHelp } from "./zitadel-target-commands.js";

export const cliHelp = `Usage: actiond <command> [options]

Commands:
  serve                 serve the API (the default; see "actiond serve --help")
  org create|list       manage organisations
  token create|list|revoke
                        manage service tokens
  zitadel-target create|list|public-key|add-key|remove-key|delete
                        manage the targets ZITADEL Actions v2 calls
  check                 compare the projections with a replay of the event log

Every command takes --help, --data-dir (env ACTIOND_DATA_DIR, default ./data) and
--database (env ACTIOND_DATABASE_URL, default the SQLite file in the data dir).
Org, token and target changes take effect in a running server at once.
`;

/** Keyed by what the user typed: a Map, so "toString" is an unknown command, not Object's method. */
const helps: ReadonlyMap<string, string> = new Map([
  ["serve", serveHelp],
  ["org", orgHelp],
  ["token", tokenHelp],
  ["zitadel-target", zitadelTargetHelp],
  ["check", checkHelp],
]);

/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const explicit = argv[0] !== undefined && !argv[0].startsWith("-");
  const [command, args] = explicit ? [argv[0]!, argv.slice(1)] : ["serve", argv];
  try {
    switch (command) {
      case "serve":
        return await runServeCommand(args, io);
      case "org":
        await runOrgCommand(args, io);
        return 0;
      case "token":
        await runTokenCommand(args, io);
        return 0;
      case "zitadel-target":
        await runZitadelTargetCommand(args, io);
        return 0;
      case "check":
        await runCheckCommand(args, io);
        return 0;
      case "help":
        io.stdout(cliHelp);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))) {
      io.stderr(`actiond: ${err.message}\n\n${helps.get(command) ?? cliHelp}`);
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
