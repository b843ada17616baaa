import { afterEach, describe, expect, it } from "vitest";
import { fakeEntry, fakeRun as run, noFetch } from "../../../test/support/test-pools.js";
import { createLogger } from "../../logger.js";
import type { PoolMetrics } from "./pool-metrics.js";
import { type WorkerPool, createWorkerPool } from "./worker-pool.js";

/** A run for the fake worker (test/support/fake-action-worker.ts): its name says how it ends, after blocking `waitMs`. */
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** A pool of one fake worker whose metrics are recorded as they are told. */
function measuredPool(maxQueuedPerOrg = 100) {
  const told: string[] = [];
  const metrics: PoolMetrics = {
    runEnded: (outcome, durationMs) => void told.push(`${outcome} ${durationMs}`),
    runRefused: () => void told.push("refused"),
    workerReplaced: (cause) => void told.push(`replaced: ${cause}`),
  };
  const pool = createWorkerPool({
    size: 1,
    entry: fakeEntry,
    fetcher: noFetch,
    maxRunningPerOrg: 2,
    maxQueuedPerOrg,
    watchdogGraceMs: 100,
    fetchBufferBytes: 1024,
    metrics,
    log: createLogger("error", () => {}),
  });
  pools.push(pool);
  return { pool, told };
}

describe("the pool's metrics", () => {
  it("says what waits, what runs and how many workers there are, and counts every run by outcome or refusal", async () => {
    const { pool, told } = measuredPool(1);
    expect(pool.load()).toEqual({ queued: 0, busy: 0, workers: 1 });
    await pool.run("a", run("warm")); // the worker has loaded: what follows is offered at once
    const runs = [pool.run("a", run("long", 300)), pool.run("b", run("behind")), pool.run("c", run("queued"))];
    // The worker is on "long", "behind" waits in the worker, "queued" in the fair queue; org c may queue no second run.
    const full = pool.run("c", run("refused"));
    expect(pool.load()).toEqual({ queued: 2, busy: 1, workers: 1 });
    await expect(full).rejects.toMatchObject({ code: "ResourceExhausted" });
    expect((await Promise.all(runs)).map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(pool.load()).toEqual({ queued: 0, busy: 0, workers: 1 });
    expect(told.sort()).toEqual(["refused", "succeeded 0", "succeeded 0", "succeeded 0", "succeeded 300"]);
  });

  it("counts a worker that crashed and one the watchdog terminated, with the runs they were on", async () => {
    const { pool, told } = measuredPool();
    expect((await pool.run("a", run("throw"))).outcome).toBe("failed");
    const stuck = await pool.run("a", run("stuck", 20_000, 100));
    expect(stuck.outcome).toBe("timed_out");
    expect(told).toEqual(["replaced: crashed", "failed 0", `replaced: watchdog`, `timed_out ${stuck.durationMs}`]);
    expect(pool.load().workers).toBe(1);
  });
});
