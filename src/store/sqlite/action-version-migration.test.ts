import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { caller, fields } from "../../../test/support/events.js";
import { addAction, changeAction, deactivateAction } from "../../command/action-commands.js";
import { createEventStore } from "../event-store.js";
import { checkProjections } from "../projection-check.js";
import { openSqliteDatabase } from "./sqlite-database.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("migration 9: the actions' versions", () => {
  it("counts each existing action's creates and updates from its events", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-migration-"));
    dirs.push(dir);
    const file = path.join(dir, "actiond.db");
    let db = openSqliteDatabase(file);
    let n = 0;
    const commands = { store: createEventStore(db), newId: () => `a${++n}` };
    const { id: once } = await addAction(commands, caller, { ...fields, name: "once" });
    const { id: thrice } = await addAction(commands, caller, { ...fields, name: "thrice" });
    await changeAction(commands, caller, thrice, { ...fields, name: "thrice", script: "function thrice() { 2 }" });
    await deactivateAction(commands, caller, thrice);
    await changeAction(commands, caller, thrice, { ...fields, name: "thrice", script: "function thrice() { 3 }" });
    await db.close();

    // The database as actiond left it before migration 9.
    const raw = new Database(file);
    raw.exec("ALTER TABLE actions DROP COLUMN version");
    raw.pragma("user_version = 8");
    raw.close();

    db = openSqliteDatabase(file);
    try {
      const rows = await db.all<{ id: string; version: number }>("SELECT id, version FROM actions ORDER BY id");
      expect(rows).toEqual([
        { id: once, version: 1 },
        { id: thrice, version: 3 },
      ]);
      expect((await checkProjections(db)).differences).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
