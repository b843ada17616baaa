import { describe, expect, it } from "vitest";
import { type TestPool, debugLines, noFetch, usePools } from "../../../test/support/test-pools.js";
import { emptyMutations, unpackMutations } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";
import type { EgressFetcher } from "./fetch-bridge.js";

const pool = usePools();

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

/**
 * Holds every request until the test answers its URL, so a run blocked in a
 * fetch ends exactly when the test says, however slow the machine is.
 */
function heldFetches() {
  let held: { url: string; answer: () => void }[] = [];
  let arrived = () => {};
  const fetcher: EgressFetcher = {
    fetch: (request) =>
      new Promise((resolve) => {
        held.push({ url: request.url, answer: () => resolve({ status: 200, body: "{}", headers: {} }) });
        arrived();
      }),
  };
  return {
    fetcher,
    /** How many requests for `url` are held. */
    count: (url: string) => held.filter((h) => h.url === url).length,
    /** Resolves once `count` requests for `url` are held. */
    async arrived(url: string, count: number) {
      while (held.filter((h) => h.url === url).length < count) await new Promise<void>((wake) => (arrived = wake));
    },
    answer(url: string) {
      for (const h of held.filter((h) => h.url === url)) h.answer();
      held = held.filter((h) => h.url !== url);
    },
  };
}
const fetching = (name: string, url: string) => order(name, `require("zitadel/http").fetch("${url}");`, 20_000);

/**
 * Resolves once both workers of a two-worker pool have loaded: two runs
 * blocked in a fetch at the same time hold one worker each. Until the second
 * worker loads, the first holds both, and the second takes one back.
 */
async function bothWorkersUp(p: TestPool, fetches: ReturnType<typeof heldFetches>): Promise<void> {
  const url = "https://up.test/";
  const runs = [p.run("up1", fetching("up1", url)), p.run("up2", fetching("up2", url))];
  await fetches.arrived(url, 2);
  fetches.answer(url);
  await Promise.all(runs);
}

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
    expect(results.map((r) => unpackMutations(r.mutations).claims["n"])).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("starts every run on a worker from a fresh runtime and context, one at a time or queued behind another", async () => {
    const p = pool(1, 1);
    const leak = order("leak", "globalThis.leaked = 1; Object.prototype.polluted = 1;");
    const look = order("look", 'api.v1.claims.setClaim("n", [typeof leaked, ({}).polluted === undefined]);');
    const oneAtATime = [];
    for (const o of [leak, look, leak, look]) oneAtATime.push(await p.run("a", o));
    const queued = await Promise.all([leak, look, leak, look].map((o) => p.run("a", o)));
    for (const result of [...oneAtATime, ...queued]) expect(result.outcome).toBe("succeeded");
    const seen = [oneAtATime[1], oneAtATime[3], queued[1], queued[3]].map((r) => unpackMutations(r!.mutations).claims["n"]);
    expect(seen).toEqual(Array(4).fill(["undefined", true]));
  });

  it("gives a run waiting behind a long one to a worker that fell idle", async () => {
    const fetches = heldFetches();
    const { log, lines } = debugLines();
    const p = pool(2, 2, fetches.fetcher, log);
    await bothWorkersUp(p, fetches);
    lines.splice(0); // a worker that loaded late may have taken one of those runs back already
    // Blocked until the test answers its fetch: it cannot end before "waiting" unless "waiting" is stuck behind it.
    const long = p.run("a", fetching("long", "https://long.test/"));
    const short = p.run("a", spin("short", 300));
    // Both workers are busy: this one waits in the first worker's queue, behind "long".
    const waiting = p.run("b", claim("w"));
    const settled = settleOrder([["long", long], ["short", short], ["waiting", waiting]]);
    expect((await waiting).outcome).toBe("succeeded");
    fetches.answer("https://long.test/");
    // Behind "long" it would settle after it; taken back when "short" ended, it comes before "long".
    expect((await settled).indexOf("waiting")).toBeLessThan((await settled).indexOf("long"));
    expect(lines.filter((l) => l.msg === "pool: waiting run moved to an idle worker")).toMatchObject([{ org: "b", action: "cw" }]);
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

  it("gives each run its org's secrets of the version it was handed, while runs move between workers", async () => {
    const p = pool(2, 2);
    const reads = (i: number, secrets: Readonly<Record<string, string>>): RunOrder => ({
      ...order(`s${i}`, `const end = Date.now() + ${i % 3 === 0 ? 10 : 1}; while (Date.now() < end) {} api.v1.claims.setClaim("n", require("actiond/secrets").get("K"))`),
      secrets,
    });
    // Frozen objects, as the executor hands them: one per version of an org's secrets.
    const versions = (org: string) => Array.from({ length: 4 }, (_, v) => Object.freeze({ K: `${org}-v${v}-${"x".repeat(2_000)}` }));
    const byOrg = { a: versions("a"), b: versions("b") };
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      const seen = [];
      for (let i = lane; i < 240; i += 6) {
        const org = i % 2 === 0 ? "a" : "b";
        const secrets = byOrg[org][Math.floor(i / 60)]!;
        const result = await p.run(org, reads(i, secrets));
        seen.push([result.outcome, unpackMutations(result.mutations).claims["n"] === secrets.K]);
      }
      return seen;
    });
    expect((await Promise.all(lanes)).flat()).toEqual(Array(240).fill(["succeeded", true]));
  });

  it("keeps an org within its cap: its second run never goes to the idle worker while the first runs", async () => {
    const p = pool(2, 1);
    // Taken before the runs are handed over: "first" cannot start earlier, so nothing settles sooner than its 400 ms.
    const started = performance.now();
    const first = p.run("a", spin("first", 400));
    const second = p.run("a", claim("second"));
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
    expect(unpackMutations(b.mutations).claims["n"]).toBe("after");
  });

  it("lets an org whose run cost a worker take no other worker until the replacement is ready", async () => {
    const fetches = heldFetches(); // never answered here: the watchdog ends each run at 300 + 100 ms
    const p = pool(2, 1, fetches.fetcher);
    await bothWorkersUp(p, fetches);
    const overruns = (name: string) => order(name, `require("zitadel/http").fetch("https://${name}.test/");`, 300);
    const first = p.run("a", overruns("first"));
    const pinned = p.run("a", overruns("pinned")); // behind "first": org a is at its cap, and nobody else waits
    expect((await first).error?.message).toMatch(/did not stop at its deadline/);
    // "pinned" is back in the queue; the other worker is idle, but org a still pays for the worker being replaced.
    expect((await p.run("b", claim("b"))).outcome).toBe("succeeded");
    expect(fetches.count("https://pinned.test/")).toBe(0);
    await fetches.arrived("https://pinned.test/", 1); // and runs once the replacement is ready
    expect((await pinned).outcome).toBe("timed_out");
  });

  it("refuses a run given back by a worker the watchdog replaces during close()", async () => {
    const p = pool(1, 2, neverAnswers);
    await p.run("a", claim("warm")); // the worker is up: "stuck" goes to it and "behind" waits behind it
    const stuck = p.run("a", stuckInFetch);
    const behind = p.run("b", claim("behind"));
    const closing = p.close();
    expect((await stuck).outcome).toBe("timed_out");
    await expect(behind).rejects.toMatchObject({ code: "Unavailable" });
    await closing;
  });

  it("does not start the runs of a caller that went away, wherever they wait", async () => {
    const { log, lines } = debugLines();
    const p = pool(1, 1, noFetch, log);
    await p.run("a", claim("warm")); // the worker is up: "long" goes to it and "held" behind it
    const long = p.run("a", spin("long", 1_000));
    const inWorker = new AbortController(); // waits in the worker's queue, behind "long"
    const inQueue = new AbortController(); // waits in the pool's queue
    const held = p.run("a", claim("held"), inWorker.signal);
    const queued = p.run("a", claim("queued"), inQueue.signal);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "pool: run pinned behind its org's running one", action: "cheld" }));
    // The pool's queue first: once "held" leaves the worker, "queued" would take its place there.
    inQueue.abort();
    inWorker.abort();
    const settled = await settleOrder([["long", long], ["held", held], ["queued", queued]]);
    expect(settled.slice(0, 2).sort()).toEqual(["held", "queued"]);
    for (const r of [await held, await queued]) {
      expect(r.outcome).toBe("timed_out");
      expect(r.error?.message).toMatch(/^not run: the caller went away/);
      expect(unpackMutations(r.mutations).claims).toEqual({});
    }
    expect(unpackMutations((await p.run("a", claim("after"))).mutations).claims["n"]).toBe("after");
  });

  it("stops a running action whose caller went away, and the worker goes on", async () => {
    const caller = new AbortController();
    // The run's fetch shows it has started; the caller leaves while it spins.
    const startedSignal: EgressFetcher = {
      fetch: () => {
        setTimeout(() => caller.abort(), 200);
        return Promise.resolve({ status: 200, body: "{}", headers: {} });
      },
    };
    const p = pool(1, 1, startedSignal);
    const running = p.run("a", order("forever", 'require("zitadel/http").fetch("https://example.test/"); for (;;) {}', 20_000), caller.signal);
    const r = await running;
    expect(r.outcome).toBe("timed_out");
    expect(r.error?.message).toBe("stopped: the caller went away before the action finished");
    expect(r.durationMs).toBeLessThan(10_000);
    expect((await p.run("a", claim("next"))).outcome).toBe("succeeded");
  });

  it("ends the fetch a stopped run is blocked in", async () => {
    const caller = new AbortController();
    // Answers only when told to stop: without the signal the run would wait out its 20 s. The caller leaves once the run is in it.
    const hanging: EgressFetcher = {
      fetch: (_request, _deadline, signal) => {
        setTimeout(() => caller.abort(), 0);
        return new Promise((resolve) => signal?.addEventListener("abort", () => resolve({ error: "cancelled" })));
      },
    };
    const p = pool(1, 1, hanging);
    const running = p.run("a", order("fetcher", 'require("zitadel/http").fetch("https://example.test/"); for (;;) {}', 20_000), caller.signal);
    const r = await running;
    expect(r.error?.message).toBe("stopped: the caller went away before the action finished");
    expect((await p.run("a", claim("next"))).outcome).toBe("succeeded");
  });
});
