import { describe, expect, it } from "vitest";
import type { ExecutionRecord } from "../domain/execution-record.js";
import { listExecutions } from "../query/execution-queries.js";
import { emptyMutations } from "../runtime/index.js";
import { openDatabase } from "./database.js";
import { createLogger } from "../logger.js";
import { createExecutionLog, pruneExecutions, saveExecutions } from "./execution-records.js";

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
  it("drops the records past the age limit, with their run rows", () => {
    const db = openDatabase(":memory:");
    const now = new Date("2026-11-27T12:00:00Z");
    const ago = (h: number) => new Date(now.getTime() - h * 3_600_000);
    saveExecutions(db, [record("old", "o1", ago(200)), record("new", "o1", ago(1))]);

    expect(pruneExecutions(db, 7 * 24 * 3_600_000, now)).toBe(1);
    expect(listExecutions(db, "o1", { offset: 0, limit: 100 }).executions.map((e) => e.id)).toEqual(["new"]);
    expect(db.prepare("SELECT COUNT(*) FROM execution_runs").pluck().get()).toBe(1);
  });
});

describe("saveExecutions() with a cap per org", () => {
  const page = { offset: 0, limit: 100 };
  const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, s));

  it("keeps each written org's newest N in the same transaction, whatever the batch size", () => {
    const db = openDatabase(":memory:");
    saveExecutions(db, Array.from({ length: 5 }, (_, i) => record(`o1-${i}`, "o1", at(i))), 3);
    expect(listExecutions(db, "o1", page).executions.map((e) => e.id)).toEqual(["o1-4", "o1-3", "o1-2"]);
    saveExecutions(db, [record("o1-5", "o1", at(5)), record("o2-0", "o2", at(0))], 3);
    expect(listExecutions(db, "o1", page).executions.map((e) => e.id)).toEqual(["o1-5", "o1-4", "o1-3"]);
    expect(listExecutions(db, "o2", page).total).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM execution_runs").pluck().get()).toBe(4);
  });

  it("drops an older record written late rather than a newer one", () => {
    const db = openDatabase(":memory:");
    saveExecutions(db, [record("new", "o1", at(9)), record("newer", "o1", at(10))], 2);
    saveExecutions(db, [record("late", "o1", at(1))], 2);
    expect(listExecutions(db, "o1", page).executions.map((e) => e.id)).toEqual(["newer", "new"]);
  });

  it("holds through the execution log right after a flush, without any timer", () => {
    const db = openDatabase(":memory:");
    const records = createExecutionLog(db, createLogger("error", () => {}), 10);
    for (let i = 0; i < 25; i++) records.append(record(`e${i}`, "o1", at(i)));
    expect(records.read((d) => listExecutions(d, "o1", page)).total).toBe(10);
  });
});

describe("createExecutionLog()", () => {
  const page = { offset: 0, limit: 100 };
  const count = (db: ReturnType<typeof openDatabase>) => db.prepare("SELECT COUNT(*) FROM executions").pluck().get();

  it("writes the records of one turn together, on the next turn", async () => {
    const db = openDatabase(":memory:");
    const records = createExecutionLog(db, createLogger("error", () => {}));
    for (let i = 0; i < 3; i++) records.append(record(`e${i}`, "o1", new Date(Date.now() + i)));
    expect(count(db)).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(count(db)).toBe(3);
  });

  it("lets a read see every record appended before it", () => {
    const db = openDatabase(":memory:");
    const records = createExecutionLog(db, createLogger("error", () => {}));
    records.append(record("just-now", "o1", new Date()));
    expect(records.read((d) => listExecutions(d, "o1", page)).executions.map((e) => e.id)).toEqual(["just-now"]);
  });

  it("logs a batch it cannot write, drops it, and keeps going", () => {
    const db = openDatabase(":memory:");
    const lines: string[] = [];
    const records = createExecutionLog(db, createLogger("error", (line) => lines.push(line)));
    records.append(record("dup", "o1", new Date()));
    records.flush();
    records.append(record("dup", "o1", new Date())); // same id: the insert fails
    records.flush();
    expect(lines.join("\n")).toMatch(/could not be written/);
    records.append(record("next", "o1", new Date()));
    records.flush();
    expect(count(db)).toBe(2);
  });
});
