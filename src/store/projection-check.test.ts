import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addAction, removeAction } from "../command/action-commands.js";
import type { CommandDeps } from "../command/command-context.js";
import { setTriggerActions } from "../command/flow-commands.js";
import { addOrg } from "../command/org-commands.js";
import { createEventStore } from "./event-store.js";
import { createIdGenerator } from "./id-generator.js";
import { checkProjections } from "./projection-check.js";
import type { SqlDatabase } from "./sql.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";

let db: SqlDatabase;
let commands: CommandDeps;
beforeEach(async () => {
  db = openSqliteDatabase(":memory:");
  commands = { store: createEventStore(db), newId: createIdGenerator(1) };
  const orgId = await addOrg(commands, "test", "acme");
  const caller = { orgId, subject: "test" };
  const fields = (name: string) => ({ name, script: `function ${name}() {}`, timeoutNs: 1e9, allowedToFail: false });
  const kept = await addAction(commands, caller, fields("kept"));
  const gone = await addAction(commands, caller, fields("gone"));
  await setTriggerActions(commands, caller, { flowType: "2", triggerType: "5", actionIds: [kept.id, gone.id] });
  await removeAction(commands, caller, gone.id);
});
afterEach(() => db.close());

describe("checkProjections()", () => {
  it("finds the projections equal to a replay of the events", async () => {
    const report = await checkProjections(db);
    expect(report.events).toBeGreaterThanOrEqual(6);
    expect(report.differences).toEqual([]);
  });

  it("names each row a projection lacks or holds beyond what the events say", async () => {
    await db.run("UPDATE actions SET script = 'tampered' WHERE name = 'kept'");
    await db.run("DELETE FROM flow_triggers");
    const { differences } = await checkProjections(db);
    expect(differences.filter((d) => d.startsWith("actions: missing"))).toHaveLength(1);
    expect(differences.filter((d) => d.startsWith("actions: not from the events"))).toHaveLength(1);
    expect(differences.filter((d) => d.startsWith("flow_triggers: missing"))).toHaveLength(1);
  });
});
