import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAction, changeAction } from "../../src/command/action-commands.js";
import { createLogger } from "../../src/logger.js";
import { createEventStore } from "../../src/store/event-store.js";
import { openPostgresDatabase } from "../../src/store/postgres/postgres-database.js";
import { checkProjections } from "../../src/store/projection-check.js";
import { caller, fields } from "../support/events.js";
import { createTestDatabase, type TestDatabase, testEngine } from "../support/test-database.js";

const quiet = createLogger("error", () => {});

describe.runIf(testEngine() === "postgres")("PostgreSQL migration 9: the actions' versions", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it("counts each existing action's creates and updates from its events", async () => {
    let db = await openPostgresDatabase({ url: database.url!, log: quiet });
    let n = 0;
    const commands = { store: createEventStore(db), newId: () => `a${++n}` };
    const { id: once } = await addAction(commands, caller, { ...fields, name: "once" });
    const { id: twice } = await addAction(commands, caller, { ...fields, name: "twice" });
    await changeAction(commands, caller, twice, { ...fields, name: "twice", script: "function twice() { 2 }" });
    // The database as actiond left it before migration 9.
    await db.run("ALTER TABLE actions DROP COLUMN version");
    await db.run("UPDATE actiond_schema SET version = 8");
    await db.close();

    db = await openPostgresDatabase({ url: database.url!, log: quiet });
    try {
      expect(await db.all("SELECT id, version FROM actions ORDER BY id")).toEqual([
        { id: once, version: 1 },
        { id: twice, version: 2 },
      ]);
      expect((await checkProjections(db)).differences).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
