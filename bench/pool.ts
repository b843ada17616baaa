/**
 * The worker pool alone, in this process: RunOrders straight into
 * createWorkerPool, no RPC, no database. It tells how much of RunTrigger's
 * cost is the pool and how much the transport and the rest of the request.
 */
import { createEgressFetcher } from "../src/egress/index.js";
import { createWorkerPool } from "../src/execution/pool/worker-pool.js";
import { createLogger } from "../src/logger.js";
import { emptyMutations } from "../src/runtime/index.js";
import type { LoopOptions, LoopResult } from "./bare.js";
import { percentile } from "./load.js";

export async function measurePool(script: string, name: string, workers: number, concurrency: number, o: LoopOptions): Promise<LoopResult> {
  const pool = createWorkerPool({
    size: workers,
    entry: new URL("../src/runtime/worker-entry.ts", import.meta.url),
    fetcher: createEgressFetcher(),
    maxRunningPerOrg: workers,
    maxQueuedPerOrg: concurrency + 1,
    watchdogGraceMs: 250,
    fetchBufferBytes: 64 * 1024,
    // Not "warn": the pool warns that one org may take every worker, which is what this measurement does on purpose.
    log: createLogger("error"),
  });
  const order = { name, script, flowType: "2", triggerType: "5", context: {}, mutations: emptyMutations(), timeoutMs: 5_000 };
  const phase = async (ms: number, record?: number[]) => {
    const start = performance.now();
    let n = 0;
    const lane = async () => {
      while (n < o.maxExecutions && performance.now() - start < ms) {
        n++;
        const t0 = performance.now();
        const result = await pool.run("bench", order);
        if (result.outcome !== "succeeded") throw new Error(`pool run ${result.outcome}: ${result.error?.message}`);
        record?.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
    return { n, elapsedMs: performance.now() - start };
  };
  try {
    await phase(o.warmupMs);
    const latencies: number[] = [];
    const { n, elapsedMs } = await phase(o.durationMs, latencies);
    const sorted = Float64Array.from(latencies).sort();
    const meanMs = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    return { executions: n, elapsedMs, perSecond: (n / elapsedMs) * 1000, meanMs, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
  } finally {
    await pool.close();
  }
}
