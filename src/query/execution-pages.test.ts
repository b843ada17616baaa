import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../domain/execution-record.js";
import { emptyMutations } from "../runtime/index.js";
import { saveExecutions } from "../store/execution-records.js";
import type { SqlDatabase } from "../store/sql.js";
import { openSqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { listExecutions } from "./execution-queries.js";

function record(i: number, claimBytes: number): ExecutionRecord {
  return {
    id: `e${String(i).padStart(3, "0")}`,
    orgId: "o1",
    flowType: "2",
    triggerType: "5",
    startedAt: new Date(Date.UTC(2026, 10, 27, 12, 0, i)),
    durationMs: 1,
    aborted: false,
    runs: [],
    mutations: { ...emptyMutations(), claims: { blob: "x".repeat(claimBytes) } },
  };
}

/** Sizes a record by its one claim, as the API sizes it by its protobuf encoding. */
const bytes = (maxBytes: number) => ({ maxBytes, sizeOf: (r: ExecutionRecord) => String(r.mutations.claims.blob).length });
const idsOf = (page: { executions: ExecutionRecord[] }) => page.executions.map((e) => e.id);

describe("listExecutions() with a byte budget", () => {
  let db: SqlDatabase;
  beforeAll(async () => {
    db = openSqliteDatabase(":memory:");
    await saveExecutions(db, [record(0, 300), record(1, 500), record(2, 100), record(3, 100), record(4, 900)]);
  });
  afterAll(() => db.close());

  it("ends a page before the record that would pass the budget, and keeps the total", async () => {
    const page = await listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(1_000));
    expect(page).toMatchObject({ total: 5 });
    expect(idsOf(page)).toEqual(["e004", "e003"]);
  });

  it("always returns the first record, even one larger than the budget", async () => {
    expect(idsOf(await listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(10)))).toEqual(["e004"]);
  });

  it("pages through every record exactly once with offset + records returned", async () => {
    const seen: string[] = [];
    for (let offset = 0; ; ) {
      const { executions } = await listExecutions(db, "o1", { offset, limit: 2 }, bytes(1_000));
      if (executions.length === 0) break;
      seen.push(...executions.map((e) => e.id));
      offset += executions.length;
    }
    expect(seen).toEqual(["e004", "e003", "e002", "e001", "e000"]);
  });
});

describe("listExecutions() over more records than one read takes", () => {
  let db: SqlDatabase;
  const all = Array.from({ length: 150 }, (_, i) => record(i, 10));
  const newestFirst = all.map((r) => r.id).reverse();
  beforeAll(async () => {
    db = openSqliteDatabase(":memory:");
    await saveExecutions(db, all);
  });
  afterAll(() => db.close());

  it("reads on from the last record read, to the limit, the budget or the end", async () => {
    expect(idsOf(await listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(10_000)))).toEqual(newestFirst.slice(0, 100));
    expect(idsOf(await listExecutions(db, "o1", { offset: 5, limit: 1000 }, bytes(700)))).toEqual(newestFirst.slice(5, 75));
    expect(idsOf(await listExecutions(db, "o1", { offset: 90, limit: 1000 }, bytes(10_000)))).toEqual(newestFirst.slice(90));
  });

  it("reads the same page without a budget", async () => {
    expect(idsOf(await listExecutions(db, "o1", { offset: 5, limit: 70 }))).toEqual(newestFirst.slice(5, 75));
  });
});
