import Database from "better-sqlite3";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allCached, getCached, type SqlDatabase } from "../sql.js";
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

describe("the SQLite adapter's cached reads", () => {
  let dir: string;
  let file: string;
  let cached: SqlDatabase;
  const read = async () => (await getCached<{ v: string }>(cached, "SELECT v FROM c WHERE id = ?", [1]))?.v;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "actiond-read-cache-"));
    file = path.join(dir, "db.sqlite");
    cached = openSqliteDatabase(file);
    await cached.run("CREATE TABLE c (id INTEGER PRIMARY KEY, v TEXT)");
    await cached.run("INSERT INTO c (id, v) VALUES (1, 'first')");
  });
  afterEach(async () => {
    await cached.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sees another connection's commit on the next read", async () => {
    expect(await read()).toBe("first");
    const other = new Database(file);
    other.prepare("UPDATE c SET v = 'from another process' WHERE id = 1").run();
    other.close();
    expect(await read()).toBe("from another process");
  });

  it("sees its own writes, in or out of a transaction, on the next read", async () => {
    expect(await read()).toBe("first");
    await cached.run("UPDATE c SET v = 'second' WHERE id = 1");
    expect(await read()).toBe("second");
    await cached.transaction((tx) => tx.run("UPDATE c SET v = 'third' WHERE id = 1"));
    expect(await read()).toBe("third");
  });

  it("keeps its rows across a transaction that writes only records, and reads afresh inside transactions", async () => {
    expect(await read()).toBe("first");
    // A records-only transaction must not touch what is cached; this one breaks that rule to show the rows are kept.
    await cached.transaction((tx) => tx.run("UPDATE c SET v = 'unseen' WHERE id = 1"), { recordsOnly: true });
    expect(await read()).toBe("first");
    expect(await cached.transaction((tx) => getCached<{ v: string }>(tx, "SELECT v FROM c WHERE id = ?", [1]))).toEqual({ v: "unseen" });
  });

  it("hands out frozen rows, so no caller can change another's", async () => {
    const [row] = await allCached<{ v: string }>(cached, "SELECT v FROM c", []);
    expect(Object.isFrozen(row)).toBe(true);
  });
});
