import { describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../execution/execution-record.js";
import { listExecutions } from "../query/execution-queries.js";
import { emptyMutations } from "../runtime/index.js";
import { openDatabase } from "./database.js";
import { pruneExecutions, saveExecution } from "./execution-records.js";

function record(id: string, orgId: string, startedAt: Date): ExecutionRecord {
  return {
    id,
    orgId,
    flowType: "2",
    triggerType: "5",
    startedAt,
    durationMs: 1,
    aborted: false,
    runs: [{ actionId: "a", name: "a", allowedToFail: false, outcome: "succeeded", durationMs: 1, logs: [] }],
    mutations: emptyMutations(),
  };
}

describe("pruneExecutions()", () => {
  it("drops records past the age limit and beyond the newest N per org", () => {
    const db = openDatabase(":memory:");
    const now = new Date("2026-11-27T12:00:00Z");
    const ago = (h: number) => new Date(now.getTime() - h * 3_600_000);
    saveExecution(db, record("old", "o1", ago(200)));
    for (let i = 0; i < 5; i++) saveExecution(db, record(`o1-${i}`, "o1", ago(5 - i)));
    saveExecution(db, record("o2-0", "o2", ago(1)));

    const removed = pruneExecutions(db, { maxAgeMs: 7 * 24 * 3_600_000, maxPerOrg: 3 }, now);
    expect(removed).toBe(3);
    const page = { offset: 0, limit: 100 };
    expect(listExecutions(db, "o1", page).executions.map((e) => e.id)).toEqual(["o1-4", "o1-3", "o1-2"]);
    expect(listExecutions(db, "o2", page).total).toBe(1);
    // Run index rows go with their execution.
    expect(db.prepare("SELECT COUNT(*) FROM execution_runs").pluck().get()).toBe(4);
  });
});
