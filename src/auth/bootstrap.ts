import fs from "node:fs";
import path from "node:path";
import type { CommandDeps } from "../command/command-context.js";
import { addOrg } from "../command/org-commands.js";
import type { Logger } from "../logger.js";
import { type Db, prepared } from "../store/database.js";
import type { TokenStore } from "./token-store.js";

export const adminTokenFile = "admin.token";

/**
 * On first start (no org yet) creates the default org and an IAM_OWNER token,
 * written to `<dataDir>/admin.token` with mode 0600. Only the path is logged.
 */
export function bootstrap(deps: { db: Db; commands: CommandDeps; tokens: TokenStore; dataDir: string; log: Logger }) {
  const { db, commands, tokens, dataDir, log } = deps;
  const file = path.join(dataDir, adminTokenFile);
  // One transaction: if writing the file fails, no org is left behind without its token.
  const orgId = db.transaction(() => {
    if (prepared(db, "SELECT 1 FROM orgs LIMIT 1").get()) return undefined;
    const id = addOrg(commands, "system", "default");
    const secret = tokens.issue({ id: commands.newId(), orgId: id, subject: "admin", roles: ["IAM_OWNER"] });
    fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    return id;
  }).immediate();
  if (orgId) log.info("created the default org and an admin token", { orgId, tokenFile: file });
}
