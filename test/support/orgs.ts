import { addOrg } from "../../src/command/org-commands.js";
import { type DataDir, openDataDir } from "../../src/data-dir.js";
import { createLogger } from "../../src/logger.js";

/** A running server's data dir and database (test-server.ts, child-server.ts). */
export interface ServedData {
  dataDir: string;
  /** The `--database` URL; undefined on SQLite. */
  database: string | undefined;
}

/** The CLI's flags for the server's data dir and database. */
export function servedDataArgs(server: ServedData): string[] {
  return ["--data-dir", server.dataDir, "--database", server.database ?? "sqlite:"];
}

/** A second connection to the server's database, as the CLI opens; close it after use. */
export function openServedData(server: ServedData): Promise<DataDir> {
  return openDataDir(server.dataDir, { url: server.database }, createLogger("error", () => {}));
}

/**
 * Creates an org and a token in it through a second connection to the
 * server's database, as the CLI does while the server runs. `id` chooses
 * the org's id, as `org create --id` does for a ZITADEL org.
 */
export async function createOrgWithToken(
  server: ServedData,
  roles: string[],
  name = "test org",
  id?: string,
): Promise<{ orgId: string; token: string }> {
  const data = await openServedData(server);
  try {
    const orgId = await addOrg(data.commands, "test", name, id);
    const token = await data.tokens.issue({ id: data.commands.newId(), orgId, subject: `${name} token`, roles });
    return { orgId, token };
  } finally {
    await data.close();
  }
}

/** A token for an existing org, issued through a second connection as `token create` does. */
export async function issueToken(server: ServedData, orgId: string, roles: string[], subject: string): Promise<string> {
  const data = await openServedData(server);
  try {
    return await data.tokens.issue({ id: data.commands.newId(), orgId, subject, roles });
  } finally {
    await data.close();
  }
}
