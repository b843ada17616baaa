import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../logger.js";
import { emptyMutations } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";
import type { EgressFetcher } from "./fetch-bridge.js";
import { createWorkerPool } from "./worker-pool.js";

const pools: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

const noFetch: EgressFetcher = { fetch: () => Promise.reject(new Error("no fetch in these tests")) };

function pool(size: number, maxRunningPerOrg: number, fetcher = noFetch) {
  const p = createWorkerPool({
    size,
    entry: new URL("../../runtime/worker-entry.ts", import.meta.url),
    fetcher,
    maxRunningPerOrg,
    maxQueuedPerOrg: 100,
    watchdogGraceMs: 100,
    fetchBufferBytes: 1024,
    log: createLogger("error", () => {}),
  });
  pools.push(p);
  return p;
}

const order = (name: string, body: string, timeoutMs = 5_000): RunOrder => ({
  name,
  script: `function ${name}(ctx, api) { ${body} }`,
  flowType: "2",
  triggerType: "5",
  context: {},
  mutations: emptyMutations(),
  timeoutMs,
});
const claim = (value: string) => order(`c${value}`, `api.v1.claims.setClaim("n", "${value}")`);
const spin = (name: string, timeoutMs: number) => order(name, "for (;;) {}", timeoutMs);
/**
 * Blocked in a fetch that never answers, the worker waits in Atomics.wait
 * (up to its timeout + 1 s), where no interrupt check runs: only the watchdog,
 * at timeout + grace, ends the run, however loaded the machine is.
 */
const neverAnswers: EgressFetcher = { fetch: () => new Promise(() => {}) };
const stuckInFetch = order("stuck", 'require("zitadel/http").fetch("https://example.test/");', 300);

/** Resolves with the labels in the order their runs settled. */
async function settleOrder(runs: [string, Promise<unknown>][]): Promise<string[]> {
  const settled: string[] = [];
  await Promise.all(runs.map(([label, p]) => p.then(() => settled.push(label))));
  return settled;
}

describe("the worker pool", () => {
  it("runs one org's queue in order, each run seeing its own input", async () => {
    const p = pool(1, 1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => p.run("a", claim(String(i)))));
    expect(results.map((r) => r.outcome)).toEqual(Array(20).fill("succeeded"));
    expect(results.map((r) => r.mutations.claims["n"])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("gives a run waiting behind a long one to a worker that fell idle", async () => {
    const p = pool(2, 2);
    const long = p.run("a", spin("long", 3_000));
    const short = p.run("a", spin("short", 300));
    // Both workers are busy: this one waits in a worker's queue, behind one of the spinners.
    const waiting = p.run("b", claim("w"));
    const settled = await settleOrder([["long", long], ["short", short], ["waiting", waiting]]);
    // Behind "long" it would settle last; taken back when "short" ended, it comes before "long".
    expect(settled.indexOf("waiting")).toBeLessThan(settled.indexOf("long"));
    expect((await waiting).outcome).toBe("succeeded");
  });

  it("keeps every run intact while workers take waiting runs back from each other", async () => {
    const p = pool(2, 2);
    await Promise.all([p.run("a", claim("warm1")), p.run("a", claim("warm2"))]);
    // Uneven run times leave one worker idle while the other holds a waiting run: it gets taken back.
    const busy = (i: number) => order(`r${i}`, `const end = Date.now() + ${i % 3 === 0 ? 15 : 1}; while (Date.now() < end) {} api.v1.claims.setClaim("n", "${i}")`);
    const lanes = Array.from({ length: 8 }, async (_, lane) => {
      const results = [];
      for (let i = lane; i < 400; i += 8) results.push(await p.run("a", busy(i)));
      return results;
    });
    const results = (await Promise.all(lanes)).flat();
    expect(results.filter((r) => r.outcome !== "succeeded").map((r) => r.error?.message)).toEqual([]);
    expect(results).toHaveLength(400);
  });

  it("keeps an org within its cap: its second run never goes to the idle worker while the first runs", async () => {
    const p = pool(2, 1);
    const first = p.run("a", spin("first", 400));
    const second = p.run("a", claim("second"));
    const started = performance.now();
    const settled = await settleOrder([["first", first], ["second", second]]);
    expect(settled).toEqual(["first", "second"]);
    expect((await second).outcome).toBe("succeeded");
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  it("moves the run waiting behind a worker the watchdog replaces, instead of failing it", async () => {
    const p = pool(1, 2, neverAnswers);
    const stuck = p.run("a", stuckInFetch);
    const behind = p.run("b", claim("after"));
    const [s, b] = await Promise.all([stuck, behind]);
    expect(s.outcome).toBe("timed_out");
    expect(s.error?.message).toMatch(/did not stop at its deadline/);
    expect(b.outcome).toBe("succeeded");
    expect(b.mutations.claims["n"]).toBe("after");
  });

  it("does not start the runs of a caller that went away, wherever they wait", async () => {
    const p = pool(1, 1);
    const long = p.run("a", spin("long", 1_000));
    const inWorker = new AbortController(); // waits in the worker's queue, behind "long"
    const inQueue = new AbortController(); // waits in the pool's queue
    const held = p.run("a", claim("held"), inWorker.signal);
    const queued = p.run("a", claim("queued"), inQueue.signal);
    inWorker.abort();
    inQueue.abort();
    const settled = await settleOrder([["long", long], ["held", held], ["queued", queued]]);
    expect(settled.slice(0, 2).sort()).toEqual(["held", "queued"]);
    for (const r of [await held, await queued]) {
      expect(r.outcome).toBe("timed_out");
      expect(r.error?.message).toMatch(/^not run: the caller went away/);
      expect(r.mutations.claims).toEqual({});
    }
    expect((await p.run("a", claim("after"))).mutations.claims["n"]).toBe("after");
  });

  it("stops a running action whose caller went away, and the worker goes on", async () => {
    const p = pool(1, 1);
    await p.run("a", claim("warm")); // the worker is up: the next run starts at once
    const caller = new AbortController();
    const running = p.run("a", spin("forever", 20_000), caller.signal);
    setTimeout(() => caller.abort(), 200);
    const r = await running;
    expect(r.outcome).toBe("timed_out");
    expect(r.error?.message).toBe("stopped: the caller went away before the action finished");
    expect(r.durationMs).toBeLessThan(10_000);
    expect((await p.run("a", claim("next"))).outcome).toBe("succeeded");
  });

  it("ends the fetch a stopped run is blocked in", async () => {
    // Answers only when told to stop: without the signal the run would wait out its 20 s.
    const hanging: EgressFetcher = {
      fetch: (_request, _deadline, signal) => new Promise((resolve) => signal?.addEventListener("abort", () => resolve({ error: "cancelled" }))),
    };
    const p = pool(1, 1, hanging);
    await p.run("a", claim("warm"));
    const caller = new AbortController();
    const running = p.run("a", order("fetcher", 'require("zitadel/http").fetch("https://example.test/"); for (;;) {}', 20_000), caller.signal);
    setTimeout(() => caller.abort(), 200);
    const r = await running;
    expect(r.error?.message).toBe("stopped: the caller went away before the action finished");
    expect((await p.run("a", claim("next"))).outcome).toBe("succeeded");
  });
});
