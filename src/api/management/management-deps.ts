import type { CommandDeps } from "../../command/command-context.js";
import type { SqlDatabase } from "../../store/sql.js";

/** What the management handlers need: commands for writes, the read models for queries. */
export interface ManagementDeps {
  commands: CommandDeps;
  db: SqlDatabase;
}
