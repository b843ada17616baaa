import { afterEach } from "vitest";
import type { RunOrder } from "../../src/execution/action-runner.js";
import type { EgressFetcher } from "../../src/execution/pool/fetch-bridge.js";
import { createWorkerPool } from "../../src/execution/pool/worker-pool.js";
import { type Logger, createLogger } from "../../src/logger.js";
import { emptyMutations } from "../../src/runtime/index.js";

export const runtimeEntry = new URL("../../src/runtime/worker-entry.ts", import.meta.url);
/** Fails on request (fake-action-worker.ts). */
export const fakeEntry = new URL("./fake-action-worker.ts", import.meta.url);

/**
 * A run for the fake worker: its name says how it ends, after blocking
 * `waitMs`. The 20 s timeout is far beyond each test: a run that ends sooner
 * did not wait for the watchdog.
 */
export const fakeRun = (name: string, waitMs = 0, timeoutMs = 20_000): RunOrder => ({
  name,
  script: "",
  flowType: "2",
  triggerType: "5",
  context: { waitMs },
  mutations: emptyMutations(),
  timeoutMs,
});

export const noFetch: EgressFetcher = { fetch: () => Promise.reject(new Error("no fetch in these tests")) };

export type TestPool = ReturnType<typeof createWorkerPool>;

/** Starts worker pools for the tests of a file, and closes them after each test. */
export function usePools() {
  const pools: TestPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  return function pool(size: number, maxRunningPerOrg: number, fetcher = noFetch, log: Logger = createLogger("error", () => {}), entry = runtimeEntry) {
    const p = createWorkerPool({ size, entry, fetcher, maxRunningPerOrg, maxQueuedPerOrg: 100, watchdogGraceMs: 100, fetchBufferBytes: 1024, log });
    pools.push(p);
    return p;
  };
}

/** A logger at debug level that keeps its lines for the test to read. */
export function debugLines() {
  const lines: { msg: string; [field: string]: unknown }[] = [];
  return { log: createLogger("debug", (line) => lines.push(JSON.parse(line))), lines };
}
