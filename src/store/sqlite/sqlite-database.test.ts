import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqlDatabase } from "../sql.js";
import { openSqliteDatabase } from "./sqlite-database.js";

let db: SqlDatabase;
beforeEach(async () => {
  db = openSqliteDatabase(":memory:");
  await db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
});
afterEach(() => db.close());

describe("the SQLite adapter", () => {
  it("binds ? from an array and @name from an object, and counts changed rows", async () => {
    expect(await db.run("INSERT INTO t (id, v) VALUES (?, ?)", [1, "a"])).toBe(1);
    expect(await db.run("INSERT INTO t (id, v) VALUES (@id, @v)", { id: 2, v: undefined })).toBe(1);
    expect(await db.all("SELECT id, v FROM t ORDER BY id")).toEqual([{ id: 1, v: "a" }, { id: 2, v: null }]);
    expect(await db.get("SELECT v FROM t WHERE id = ?", [3])).toBeUndefined();
  });

  it("commits a transaction's writes together, and rolls all of them back when it throws", async () => {
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, v) VALUES (1, 'a')");
      await tx.run("INSERT INTO t (id, v) VALUES (2, 'b')");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO t (id, v) VALUES (3, 'c')");
        throw new Error("decided against it");
      }),
    ).rejects.toThrow("decided against it");
    expect(await db.all("SELECT id FROM t ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it("keeps statements outside a transaction from seeing it before it ends", async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, v) VALUES (1, 'uncommitted')");
      await paused;
      throw new Error("rolled back");
    });
    const reading = db.all("SELECT id FROM t");
    release();
    await expect(writing).rejects.toThrow("rolled back");
    expect(await reading).toEqual([]);
  });

  it("runs transactions one after another, in the order they were asked for", async () => {
    const order: string[] = [];
    await Promise.all(
      ["a", "b", "c"].map((name) =>
        db.transaction(async (tx) => {
          order.push(`${name} begins`);
          await tx.run("INSERT INTO t (v) VALUES (?)", [name]);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`${name} ends`);
        }),
      ),
    );
    expect(order).toEqual(["a begins", "a ends", "b begins", "b ends", "c begins", "c ends"]);
  });

  it("defines fold() as JavaScript's Unicode lower case", async () => {
    expect(await db.get("SELECT fold('ÄÖ Straße') AS f")).toEqual({ f: "äö straße" });
  });
});
