import { describe, expect, inject, it } from "vitest";
import { adminQuery } from "./postgres-cluster.js";
import { createTestDatabase, testEngine } from "./test-database.js";

describe("the run's PostgreSQL cluster", () => {
  it("hands each test a database of its own, with the ICU collation the schema folds text with, and drops it", async () => {
    expect(testEngine()).toBe("postgres");
    expect(new URL(inject("postgresUrl")).hostname).toBe("127.0.0.1");
    const db = await createTestDatabase();
    const name = new URL(db.url!).pathname.slice(1);
    expect(name).toMatch(/^t_[0-9a-f]{16}$/);

    const [folded] = await adminQuery<{ lower: string }>(db.url!, `SELECT lower('ÄÖ' COLLATE "und-x-icu")`);
    expect(folded?.lower).toBe("äö");

    await db.drop();
    const left = await adminQuery(inject("postgresUrl"), `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    expect(left).toEqual([]);
    await db.drop();
  });
});
