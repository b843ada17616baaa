import { describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../domain/execution-record.js";
import { emptyMutations } from "../runtime/index.js";
import { openDatabase } from "../store/database.js";
import { saveExecutions } from "../store/execution-records.js";
import { listExecutions } from "./execution-queries.js";

function record(i: number, claimBytes: number): ExecutionRecord {
  return {
    id: `e${String(i).padStart(2, "0")}`,
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

describe("listExecutions() with a byte budget", () => {
  const db = openDatabase(":memory:");
  saveExecutions(db, [record(0, 300), record(1, 500), record(2, 100), record(3, 100), record(4, 900)]);

  it("ends a page before the record that would pass the budget, and keeps the total", () => {
    const page = listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(1_000));
    expect(page).toMatchObject({ total: 5 });
    expect(page.executions.map((e) => e.id)).toEqual(["e04", "e03"]);
  });

  it("always returns the first record, even one larger than the budget", () => {
    expect(listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(10)).executions.map((e) => e.id)).toEqual(["e04"]);
  });

  it("pages through every record exactly once with offset + records returned", () => {
    const seen: string[] = [];
    for (let offset = 0; ; ) {
      const { executions } = listExecutions(db, "o1", { offset, limit: 2 }, bytes(1_000));
      if (executions.length === 0) break;
      seen.push(...executions.map((e) => e.id));
      offset += executions.length;
    }
    expect(seen).toEqual(["e04", "e03", "e02", "e01", "e00"]);
  });

  it("lets the database go on after a page it left early", () => {
    listExecutions(db, "o1", { offset: 0, limit: 100 }, bytes(10));
    saveExecutions(db, [record(5, 1)]);
    expect(listExecutions(db, "o1", { offset: 0, limit: 100 }).total).toBe(6);
  });
});
