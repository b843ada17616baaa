import { addOrg } from "../../src/command/org-commands.js";
import { openDataDir } from "../../src/data-dir.js";

/**
 * Creates an org and a token in it through a second connection to the
 * server's database file, as the CLI does while the server runs. `id` chooses
 * the org's id, as `org create --id` does for a ZITADEL org.
 */
export function createOrgWithToken(dataDir: string, roles: string[], name = "test org", id?: string): { orgId: string; token: string } {
  const data = openDataDir(dataDir);
  try {
    const orgId = addOrg(data.commands, "test", name, id);
    const token = data.tokens.issue({ id: data.commands.newId(), orgId, subject: `${name} token`, roles });
    return { orgId, token };
  } finally {
    data.close();
  }
}
