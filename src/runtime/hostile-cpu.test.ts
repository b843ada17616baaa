import { describe, expect, it } from "vitest";
import { getSandboxModule } from "./sandbox-module.js";
import { action, claimsOf, expectHealthy, run } from "../../test/support/runtime-harness.js";

// The interrupt handler is polled every few µs of interpreted code; a loaded CI box adds scheduling noise.
const slackMs = 400;

describe("hostile scripts: time", () => {
  it.each([
    ["a plain endless loop", "while (true) {}"],
    ["an endless loop that catches everything", "for (;;) { try { while (true) {} } catch (e) {} }"],
    ["an endless promise chain", "function again() { return Promise.resolve().then(again); } again();"],
    ["an async endless loop", "return (async () => { for (;;) await null; })();"],
    ["endless microtasks", "function again() { queueMicrotask(again); } again();"],
    ["an endless getter in the result conversion", 'api.v1.user.setMetadata("k", { get loop() { for (;;) {} } });'],
    ["an endless toJSON in a claim value", 'api.v1.claims.setClaim("k", { toJSON() { for (;;) {} } });'],
  ])("stops %s at the deadline", async (_, body) => {
    const timeoutMs = 100;
    const result = await run(action(body), { timeoutMs });
    expect(result.outcome).toBe("timed_out");
    expect(result.error?.message).toBe("timed out: the action did not finish before its deadline");
    expect(result.durationMs).toBeLessThan(timeoutMs + slackMs);
    await expectHealthy();
  });

  it("stops an endless loop at the top level of the script too", async () => {
    const result = await run("while (true) {}\nfunction action() {}", { timeoutMs: 50 });
    expect(result.outcome).toBe("timed_out");
    await expectHealthy();
  });

  it("reports how far a C built-in (sort of 3e5 numbers) overshoots, which the pool's watchdog must cover", async () => {
    const timeoutMs = 50;
    const result = await run(action("[...Array(3e5)].map(Math.random).sort();"), { timeoutMs });
    // quickjs-ng does not poll the interrupt handler inside the sort's C loop: the run ends at the
    // next poll after it, by the deadline plus the sort's own time (one to a few hundred ms here).
    expect(["timed_out", "succeeded"]).toContain(result.outcome);
    console.info(`C-builtin sort of 3e5: ${result.outcome} after ${result.durationMs.toFixed(0)} ms against a ${timeoutMs} ms deadline`);
    expect(result.durationMs).toBeLessThan(5_000);
    await expectHealthy();
  });

  it("reports a run that a C built-in kept busy past the deadline as timed out, though nothing could interrupt it", async () => {
    const timeoutMs = 20;
    const result = await run(action("JSON.stringify(Array(3e5).fill({ a: 1 }));"), { timeoutMs });
    console.info(`JSON.stringify of 3e5 objects: ${result.outcome} after ${result.durationMs.toFixed(0)} ms against a ${timeoutMs} ms deadline`);
    expect(result.outcome).toBe("timed_out");
    expect(claimsOf(result)).toEqual({});
    await expectHealthy();
  });

  it("stops a catastrophic regex or reports it", async () => {
    const timeoutMs = 50;
    const result = await run(action('/^(a+)+$/.test("a".repeat(30) + "b");'), { timeoutMs });
    console.info(`catastrophic regex: ${result.outcome} after ${result.durationMs.toFixed(0)} ms against a ${timeoutMs} ms deadline`);
    expect(result.outcome).toBe("timed_out");
    expect(result.durationMs).toBeLessThan(timeoutMs + slackMs);
    await expectHealthy();
  });

  it("fails deep recursion with a clear message", async () => {
    const result = await run(action("function down(n) { return down(n + 1) + 1; } down(0);"));
    expect(result).toMatchObject({ outcome: "failed", error: { message: "RangeError: Maximum call stack size exceeded", line: 2 } });
    await expectHealthy();
  });

  it.each([
    ["in the script", "JSON.stringify(v);"],
    ["inside a host function", 'api.v1.claims.setClaim("deep", v);'],
  ])("fails a C-level recursion (JSON of a deeply nested value) %s and replaces the module", async (_, use) => {
    const module = await getSandboxModule();
    const result = await run(action(`var v = []; for (var i = 0; i < 1e5; i++) v = [v]; ${use}`), { module });
    // QuickJS's stack limit counts its own frames; the C recursion overflows V8's stack first.
    expect(result).toMatchObject({ outcome: "failed", error: { message: "stack overflow: the action recursed too deeply for this thread's stack" } });
    expect(module.tainted).toBe(true);
    await expectHealthy();
  });
});
