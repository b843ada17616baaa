import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { isDomainError } from "../domain/errors.js";
import { type LeaseTiming, leaseMachineId } from "./machine-lease.js";
import type { SqlDatabase } from "./sql.js";
import { openSqliteDatabase } from "./sqlite/sqlite-database.js";

const quiet = createLogger("error", () => {});
const slow: LeaseTiming = { ttlMs: 60_000, renewEveryMs: 60_000, restMs: 10_000 };
let db: SqlDatabase;
beforeEach(() => {
  db = openSqliteDatabase(":memory:");
});
afterEach(() => db.close());

const holders = () => db.all<{ machine_id: number }>("SELECT machine_id FROM machine_leases ORDER BY machine_id");

describe("leaseMachineId()", () => {
  it("gives every process on the database a machine id of its own", async () => {
    const leases = await Promise.all(Array.from({ length: 20 }, () => leaseMachineId(db, quiet, slow)));
    const ids = leases.map((l) => l.current());
    expect(new Set(ids).size).toBe(20);
    expect((await holders()).map((r) => r.machine_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });

  it("refuses ids with Unavailable once the lease ran out unrenewed", async () => {
    const lease = await leaseMachineId(db, quiet, { ttlMs: 50, renewEveryMs: 60_000, restMs: 0 });
    expect(lease.current()).toBeGreaterThanOrEqual(0);
    await new Promise((resolve) => setTimeout(resolve, 80));
    let error: unknown;
    try {
      lease.current();
    } catch (err) {
      error = err;
    }
    expect(isDomainError(error) && error.code).toBe("Unavailable");
  });

  it("renews in the background, and takes another id when its own was given away", async () => {
    const lease = await leaseMachineId(db, quiet, { ttlMs: 60_000, renewEveryMs: 20, restMs: 0 });
    const first = lease.current();
    await db.run("UPDATE machine_leases SET holder = 'someone else' WHERE machine_id = ?", [first]);
    await expect.poll(() => lease.current(), { timeout: 10_000 }).not.toBe(first);
    expect((await holders()).length).toBe(2);
    await lease.release();
  });

  it("lets a released id rest before another process may take it", async () => {
    const lease = await leaseMachineId(db, quiet, slow);
    const id = lease.current();
    await lease.release();
    const next = await leaseMachineId(db, quiet, slow);
    expect(next.current()).not.toBe(id);
    expect((await holders()).map((r) => r.machine_id)).toContain(id);
  });
});
