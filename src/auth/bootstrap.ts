import fs from "node:fs";
import path from "node:path";
import type { CommandDeps } from "../command/command-context.js";
import { addOrg } from "../command/org-commands.js";
import type { Logger } from "../logger.js";
import { eventStoreIn } from "../store/event-store.js";
import type { SqlDatabase } from "../store/sql.js";
import { createTokenStore } from "./token-store.js";

export const adminTokenFile = "admin.token";

/**
 * On first start (no org yet) creates the default org and an IAM_OWNER token,
 * written to `<dataDir>/admin.token` with mode 0600. Only the path is logged.
 * Nodes starting together on one database bootstrap it once: the others'
 * transactions conflict, run again, and find the org.
 */
export async function bootstrap(deps: { db: SqlDatabase; newId: () => string; dataDir: string; log: Logger }): Promise<void> {
  const { db, newId, dataDir, log } = deps;
  const file = path.join(dataDir, adminTokenFile);
  const now = () => new Date();
  // What an attempt wrote to the file: an attempt that did not commit must not leave its token behind.
  let written: string | undefined;
  let orgId: string | undefined;
  try {
    // One transaction: if writing the file fails, no org is left behind without its token.
    orgId = await db.transaction(async (tx) => {
      if (await tx.get("SELECT 1 AS found FROM orgs LIMIT 1")) return undefined;
      const commands: CommandDeps = { store: eventStoreIn(tx, now), newId };
      const id = await addOrg(commands, "system", "default");
      const secret = await createTokenStore(tx, now).issue({ id: newId(), orgId: id, subject: "admin", roles: ["IAM_OWNER"] });
      written = secret + "\n";
      fs.writeFileSync(file, written, { mode: 0o600 });
      fs.chmodSync(file, 0o600);
      return id;
    });
  } finally {
    if (orgId === undefined && written !== undefined) removeIfStill(file, written);
  }
  if (orgId) log.info("created the default org and an admin token", { orgId, tokenFile: file });
}

/** Removes the file unless another node sharing the data dir has written its own token there since. */
function removeIfStill(file: string, content: string): void {
  try {
    if (fs.readFileSync(file, "utf8") === content) fs.rmSync(file);
  } catch {
    // Already gone: nothing to undo.
  }
}
