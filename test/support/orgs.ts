import path from "node:path";
import { createTokenStore } from "../../src/auth/token-store.js";
import { addOrg } from "../../src/command/org-commands.js";
import { databaseFile } from "../../src/app.js";
import { openDatabase } from "../../src/store/database.js";
import { createIdGenerator } from "../../src/store/id-generator.js";
import { createSqliteEventStore } from "../../src/store/sqlite-event-store.js";

/**
 * Creates an org and a token in it through a second connection to the
 * server's database file, as the CLI does while the server runs.
 */
export function createOrgWithToken(dataDir: string, roles: string[], name = "test org"): { orgId: string; token: string } {
  const db = openDatabase(path.join(dataDir, databaseFile));
  try {
    const commands = { store: createSqliteEventStore(db), newId: createIdGenerator() };
    const orgId = addOrg(commands, "test", name);
    const token = createTokenStore(db).issue({ id: commands.newId(), orgId, subject: `${name} token`, roles });
    return { orgId, token };
  } finally {
    db.close();
  }
}
