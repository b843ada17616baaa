import { parseArgs } from "node:util";
import { isKnownRole, knownRoles } from "../auth/roles.js";
import type { DataDir } from "../data-dir.js";
import { orgExists } from "../query/org-queries.js";
import { CliError, type CliIo, UsageError, formatTable } from "./cli-io.js";
import { dataDirHelp, dataDirOptions, withDataDir } from "./data-dir-option.js";
import { parseDuration } from "../duration.js";

export const tokenHelp = `Usage: actiond token <command>

Commands:
  create --org ID --role ROLE [--role ROLE...] [--subject NAME] [--expires DURATION]
                        issue a service token; prints it alone on stdout, once
  list                  list tokens (never their secrets)
  revoke ID             revoke a token at once

Roles: ${knownRoles.join(", ")}
DURATION: e.g. 3600s, 90m, 12h, 30d

Options:
${dataDirHelp}
  --help
`;

/** `token create`, `token list` and `token revoke`. */
export async function runTokenCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: "string" },
      role: { type: "string", multiple: true },
      subject: { type: "string" },
      expires: { type: "string" },
      ...dataDirOptions,
      help: { type: "boolean" },
    },
  });
  if (values.help) return io.stdout(tokenHelp);
  const [sub, ...rest] = positionals;
  const withData = (fn: (dir: DataDir) => Promise<void>) => withDataDir(values, io, fn);

  switch (sub) {
    case "create": {
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      const { org, role: roles = [], subject, expires } = values;
      if (!org) throw new UsageError("token create needs --org ID");
      if (roles.length === 0) throw new UsageError("token create needs at least one --role ROLE");
      const unknown = roles.find((r) => !isKnownRole(r));
      if (unknown) throw new UsageError(`unknown role "${unknown}"`);
      const ttl = expires === undefined ? undefined : parseDuration(expires);
      if (expires !== undefined && ttl === undefined) throw new UsageError(`--expires: cannot read "${expires}"`);
      return withData(async (dir) => {
        if (!(await orgExists(dir.db, org))) throw new CliError(`org ${org} does not exist`);
        const id = dir.commands.newId();
        const expiresAt = ttl === undefined ? undefined : new Date(Date.now() + ttl);
        const secret = await dir.tokens.issue({ id, orgId: org, subject: subject ?? `token ${id}`, roles: [...new Set(roles)], expiresAt });
        io.stdout(secret + "\n");
      });
    }
    case "list":
      if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
      return withData(async (dir) => {
        const iso = (d?: Date) => d?.toISOString() ?? "-";
        const rows = (await dir.tokens.list()).map((t) => [t.id, t.subject, t.orgId, t.roles.join(","), iso(t.createdAt), iso(t.expiresAt), iso(t.lastUsedAt), iso(t.revokedAt)]);
        io.stdout(formatTable(["ID", "SUBJECT", "ORG", "ROLES", "CREATED", "EXPIRES", "LAST USED", "REVOKED"], rows));
      });
    case "revoke": {
      const [id, ...extra] = rest;
      if (!id || extra.length > 0) throw new UsageError("token revoke needs exactly one token ID");
      return withData(async (dir) => {
        if (!(await dir.tokens.revoke(id))) throw new CliError(`token ${id} does not exist`);
        io.stderr(`token ${id} revoked\n`);
      });
    }
    default:
      throw new UsageError(sub ? `unknown token command "${sub}"` : "token needs a command");
  }
}
