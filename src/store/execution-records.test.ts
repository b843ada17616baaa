import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../logger.js";
import { listExecutions } from "../query/execution-queries.js";
import { createExecutionLog, pruneExecutions, saveExecutions } from "./execution-records.js";
import { claimTurn } from "./schedule.js";
import type { SqlDatabase } from "./sql.js";
import { executionRecord as record } from "../../test/support/execution-record.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";

let db: SqlDatabase;
beforeEach(() => {
  db = openSqliteDatabase(":memory:");
});
afterEach(async () => {
  await db.close();
});

const page = { offset: 0, limit: 100 };
const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, s));
const count = async (table: string) => (await db.get<{ total: number }>(`SELECT COUNT(*) AS total FROM ${table}`))?.total;
const ids = async (orgId: string) => (await listExecutions(db, orgId, page)).executions.map((e) => e.id);
const quiet = () => createLogger("error", () => {});

describe("pruneExecutions()", () => {
  it("drops the records past the age limit, with their run rows", async () => {
    const now = new Date("2026-11-27T12:00:00Z");
    const ago = (h: number) => new Date(now.getTime() - h * 3_600_000);
    await saveExecutions(db, [record("old", "o1", ago(200)), record("new", "o1", ago(1))]);

    expect(await pruneExecutions(db, 7 * 24 * 3_600_000, now)).toBe(1);
    expect(await ids("o1")).toEqual(["new"]);
    expect(await count("execution_runs")).toBe(1);
  });
});

describe("saveExecutions()", () => {
  it("writes a batch of any size, each record with its runs", async () => {
    const records = Array.from({ length: 100 }, (_, i) => record(`e${String(i).padStart(3, "0")}`, "o1", at(i)));
    records[7]!.runs.push({ ...records[7]!.runs[0]!, actionId: "b" });
    await saveExecutions(db, records);
    expect([await count("executions"), await count("execution_runs")]).toEqual([100, 101]);
    expect((await listExecutions(db, "o1", { ...page, limit: 1000 })).executions).toEqual(records.reverse());
  });

  it("keeps each written org's newest N in the same transaction, whatever the batch size", async () => {
    await saveExecutions(db, Array.from({ length: 5 }, (_, i) => record(`o1-${i}`, "o1", at(i))), 3);
    expect(await ids("o1")).toEqual(["o1-4", "o1-3", "o1-2"]);
    await saveExecutions(db, [record("o1-5", "o1", at(5)), record("o2-0", "o2", at(0))], 3);
    expect(await ids("o1")).toEqual(["o1-5", "o1-4", "o1-3"]);
    expect((await listExecutions(db, "o2", page)).total).toBe(1);
    expect(await count("execution_runs")).toBe(4);
  });

  it("drops an older record written late rather than a newer one", async () => {
    await saveExecutions(db, [record("new", "o1", at(9)), record("newer", "o1", at(10))], 2);
    await saveExecutions(db, [record("late", "o1", at(1))], 2);
    expect(await ids("o1")).toEqual(["newer", "new"]);
  });

  it("keeps the newest by id among records started at the same time", async () => {
    await saveExecutions(db, ["a", "c", "b"].map((id) => record(id, "o1", at(0))), 2);
    expect(await ids("o1")).toEqual(["c", "b"]);
  });

  it("keeps each org's count equal to its records through writes, trims and pruning", async () => {
    const totals = async () => await db.all<{ resource_owner: string; total: number }>("SELECT * FROM execution_counts ORDER BY resource_owner");
    const now = at(30);
    await saveExecutions(db, [record("o1-0", "o1", at(0)), record("o1-1", "o1", at(1)), record("o2-0", "o2", at(2))], 5);
    await saveExecutions(db, Array.from({ length: 6 }, (_, i) => record(`o1-${i + 2}`, "o1", at(i + 20))), 5);
    expect(await totals()).toEqual([{ resource_owner: "o1", total: 5 }, { resource_owner: "o2", total: 1 }]);
    // o1 keeps 20..25 minus the oldest; o2's record at 2 s and nothing of o1 is past 10 s of age.
    expect(await pruneExecutions(db, 10_000, now)).toBe(1);
    expect(await totals()).toEqual([{ resource_owner: "o1", total: 5 }, { resource_owner: "o2", total: 0 }]);
    await saveExecutions(db, [record("o1-late", "o1", at(26))], 5);
    expect(await ids("o1")).toEqual(["o1-late", "o1-7", "o1-6", "o1-5", "o1-4"]);
    expect(await totals()).toEqual([{ resource_owner: "o1", total: 5 }, { resource_owner: "o2", total: 0 }]);
  });
});

/** The database, noting in `ids` the id of each execution as it is inserted. */
function insertsSeen(db: SqlDatabase, ids: string[]): SqlDatabase {
  const columns = 7;
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          ...tx,
          run(sql, params) {
            if (sql.startsWith("INSERT INTO executions")) ids.push(...(params as string[]).filter((_, i) => i % columns === 0));
            return tx.run(sql, params);
          },
        }),
      ),
  };
}

describe("createExecutionLog()", () => {
  it("writes the records of a few milliseconds together, in one transaction", async () => {
    let transactions = 0;
    const records = createExecutionLog({ ...db, transaction: (fn, o) => (transactions++, db.transaction(fn, o)) }, quiet());
    for (let i = 0; i < 3; i++) {
      records.append(record(`e${i}`, "o1", new Date(Date.now() + i)));
      // Each from its own turn, as results come back from the workers.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await count("executions")).toBe(0);
    await vi.waitFor(async () => expect(await count("executions")).toBe(3), { timeout: 5_000 });
    expect(transactions).toBe(1);
  });

  it("lets a read see every record appended before it", async () => {
    const records = createExecutionLog(db, quiet());
    records.append(record("just-now", "o1", new Date()));
    expect((await records.read((sql) => listExecutions(sql, "o1", page))).executions.map((e) => e.id)).toEqual(["just-now"]);
  });

  it("holds the cap per org right after a flush, without any timer", async () => {
    const records = createExecutionLog(db, quiet(), 10);
    for (let i = 0; i < 25; i++) records.append(record(`e${i}`, "o1", at(i)));
    expect((await records.read((sql) => listExecutions(sql, "o1", page))).total).toBe(10);
  });

  it("writes each record once and in order when flushes overlap", async () => {
    const inserted: string[] = [];
    const records = createExecutionLog(insertsSeen(db, inserted), quiet());
    const appended: string[] = [];
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < 600; i++) {
      appended.push(`e${i}`);
      records.append(record(`e${i}`, "o1", at(0)));
      if (i % 7 === 0) flushes.push(records.flush());
    }
    flushes.push(records.flush(), records.flush());
    await Promise.all(flushes);
    expect(inserted).toEqual(appended);
    expect(await count("executions")).toBe(600);
  });

  it("logs a batch it cannot write, drops it, and keeps going", async () => {
    const lines: string[] = [];
    const records = createExecutionLog(db, createLogger("error", (line) => lines.push(line)));
    records.append(record("dup", "o1", new Date()));
    await records.flush();
    records.append(record("dup", "o1", new Date())); // same id: the insert fails
    await records.flush();
    expect(lines.join("\n")).toMatch(/could not be written/);
    records.append(record("next", "o1", new Date()));
    await records.flush();
    expect(await count("executions")).toBe(2);
  });
});

describe("claimTurn()", () => {
  const everyMs = 600_000;

  it("gives the first turn to the first to ask, and the next one once it is due", async () => {
    expect(await claimTurn(db, "prune", everyMs, 1_000)).toBe(true);
    expect(await claimTurn(db, "prune", everyMs, 1_000)).toBe(false);
    expect(await claimTurn(db, "prune", everyMs, 1_000 + everyMs - 1)).toBe(false);
    expect(await claimTurn(db, "prune", everyMs, 1_000 + everyMs)).toBe(true);
    expect(await claimTurn(db, "prune", everyMs, 1_000 + everyMs + 1)).toBe(false);
  });

  it("gives a due turn to exactly one of several asking at once, per job", async () => {
    const asks = await Promise.all(Array.from({ length: 5 }, () => claimTurn(db, "prune", everyMs, 5_000)));
    expect(asks.filter(Boolean)).toHaveLength(1);
    expect(await claimTurn(db, "other", everyMs, 5_000)).toBe(true);
  });
});
