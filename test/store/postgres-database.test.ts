import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../../src/domain/errors.js";
import { createLogger } from "../../src/logger.js";
import { openPostgresDatabase } from "../../src/store/postgres/postgres-database.js";
import { pruneExecutions, saveExecutions } from "../../src/store/execution-records.js";
import { claimTurn } from "../../src/store/schedule.js";
import type { SqlDatabase } from "../../src/store/sql.js";
import { executionRecord } from "../support/execution-record.js";
import { createTestDatabase, type TestDatabase, testEngine } from "../support/test-database.js";

const quiet = createLogger("error", () => {});

describe.runIf(testEngine() === "postgres")("the PostgreSQL adapter", () => {
  let database: TestDatabase;
  let db: SqlDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openPostgresDatabase({ url: database.url!, log: quiet });
    await db.run("CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("binds ? and @name, reads BIGINT as a number and counts changed rows", async () => {
    expect(await db.run("INSERT INTO counters (name, value) VALUES (@name, @value)", { name: "big", value: 2 ** 52 })).toBe(1);
    expect(await db.get("SELECT value, COUNT(*) OVER () AS total FROM counters WHERE name = ?", ["big"])).toEqual({ value: 2 ** 52, total: 1 });
    expect(await db.run("UPDATE counters SET value = value WHERE name = ?", ["nothing"])).toBe(0);
  });

  it("folds case as JavaScript does, whatever the database's locale", async () => {
    expect(await db.get("SELECT fold('ÄÖ STRASSE Σ') AS f, instr('abc', 'c') AS i")).toEqual({ f: "äö strasse σ", i: 3 });
  });

  it("runs concurrent read-modify-write transactions as if one after another, retrying the ones that conflict", async () => {
    await db.run("INSERT INTO counters (name, value) VALUES ('hits', 0)");
    const writers = 12;
    await Promise.all(
      Array.from({ length: writers }, () =>
        db.transaction(async (tx) => {
          const row = await tx.get<{ value: number }>("SELECT value FROM counters WHERE name = 'hits'");
          // Let the other writers read the same value before this one writes.
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.run("UPDATE counters SET value = ? WHERE name = 'hits'", [row!.value + 1]);
        }),
      ),
    );
    expect(await db.get("SELECT value FROM counters WHERE name = 'hits'")).toEqual({ value: writers });
  });

  it("rolls back a transaction that throws, and gives the caller its error", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO counters (name, value) VALUES ('rolled back', 1)");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.get("SELECT 1 AS found FROM counters WHERE name = 'rolled back'")).toBeUndefined();
  });

  it("gives a scheduled turn to one of several nodes asking at once, and to none before it is due", async () => {
    const ask = (nowMs: number) => Promise.all(Array.from({ length: 10 }, () => claimTurn(db, "prune", 1000, nowMs)));
    expect((await ask(5000)).filter(Boolean)).toHaveLength(1);
    expect((await ask(5500)).filter(Boolean)).toHaveLength(0);
    expect((await ask(6000)).filter(Boolean)).toHaveLength(1);
  });

  it("keeps an org's execution count exact and under its cap while batches and pruning run at once", async () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 10, 30) + ms);
    const record = (id: string, ms: number) => executionRecord(id, "capped", at(ms));
    const cap = 20;
    // Four writers (pool connections, as nodes would be) and a prune of what is older than 100 ms.
    await Promise.all([
      ...Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let b = 0; b < 10; b++) await saveExecutions(db, [0, 1, 2].map((i) => record(`w${w}-${b}-${i}`, 50 + b * 10 + i)), cap);
        })(),
      ),
      pruneExecutions(db, 100, at(200)),
    ]);
    const rows = await db.get<{ total: number }>("SELECT COUNT(*) AS total FROM executions WHERE resource_owner = 'capped'");
    expect(await db.get("SELECT total FROM execution_counts WHERE resource_owner = 'capped'")).toEqual(rows);
    expect(rows!.total).toBeLessThanOrEqual(cap);
  });

  it("answers Unavailable, not a driver error, when no database listens", async () => {
    const port = await closedPort();
    const error = await openPostgresDatabase({ url: `postgres://postgres@127.0.0.1:${port}/none`, log: quiet }).catch((err: unknown) => err);
    expect(isDomainError(error) && [error.code, error.id]).toEqual(["Unavailable", "STORE-unavailable"]);
  });
});

/** A loopback port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
