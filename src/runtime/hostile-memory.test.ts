import { describe, expect, it } from "vitest";
import { getSandboxModule, isRetired, wasmMemoryBytes } from "./sandbox-module.js";
import { action, expectHealthy, run } from "../../test/support/runtime-harness.js";

const MiB = 1024 * 1024;

describe("hostile scripts: memory", () => {
  it.each([
    ["arrays of 1000 numbers", "var keep = []; for (;;) keep.push(new Array(1000).fill(1));"],
    ["small objects", "var keep = []; for (;;) keep.push({ a: 1, b: [1, 2] });"],
    ["a Map", "var m = new Map(); for (var i = 0; ; i++) m.set(i, 'v' + i);"],
    ["string doubling", "var s = 'x'; for (;;) s = s + s;"],
    ["one huge string", "'x'.repeat(2 ** 29);"],
    ["a bomb inside promise jobs", "var keep = []; return (async () => { for (;;) { await null; for (var i = 0; i < 1e4; i++) keep.push({ i }); } })();"],
    ["a bomb that catches its own out-of-memory errors", "var keep = []; for (;;) { try { keep.push(new Array(1e4).fill(0)); } catch (e) { keep.push(e); } }"],
  ])("ends %s as out_of_memory, and the thread recovers", async (_, body) => {
    const module = await getSandboxModule();
    const result = await run(action(body), { module, timeoutMs: 10_000 });
    expect(result.outcome).toBe("out_of_memory");
    expect(result.error?.message).toMatch(/^out of memory: /);
    // Never past the module's cap, whatever the script did.
    expect(wasmMemoryBytes(module)).toBeLessThanOrEqual(module.memoryCapBytes);
    await expectHealthy();
  });

  it("retires a module whose memory grew past its threshold, and the next run gets a fresh one", async () => {
    const module = await getSandboxModule();
    await run(action("var keep = []; for (;;) keep.push(new Array(1000).fill(1));"), { module, timeoutMs: 10_000 });
    expect(wasmMemoryBytes(module)).toBeGreaterThan(module.recycleAboveBytes);
    expect(isRetired(module)).toBe(true);
    const next = await getSandboxModule();
    expect(next).not.toBe(module);
    expect(wasmMemoryBytes(next)).toBeLessThanOrEqual(32 * MiB);
    await expectHealthy();
  });

  it("honours a smaller per-run heap limit", async () => {
    const result = await run(action("var keep = []; for (;;) keep.push('x'.repeat(1e5) + keep.length);"), { limits: { memoryBytes: 2 * MiB } });
    expect(result.outcome).toBe("out_of_memory");
    expect(result.error?.message).toContain("2 MiB heap");
  });

  it("lets a script that stays within its memory succeed", async () => {
    const result = await run(action("var a = []; for (var i = 0; i < 1e5; i++) a.push({ i }); api.v1.claims.setClaim('n', a.length);"));
    expect(result).toMatchObject({ outcome: "succeeded", mutations: { claims: { n: "100000" } } });
  });

  it("never reads a huge return value", async () => {
    const result = await run(action("return 'x'.repeat(8 * 1024 * 1024);"));
    expect(result.outcome).toBe("succeeded");
  });

  it("refuses a claim value bigger than the result limit", async () => {
    const result = await run(action("api.v1.claims.setClaim('big', 'x'.repeat(2e6));"));
    expect(result).toMatchObject({ outcome: "failed", error: { message: 'RangeError: claim "big" is too large: over 1048576 characters as JSON' } });
  });

  it("bounds what the host keeps for a run, however many small changes it makes", async () => {
    const result = await run(action("for (var i = 0; ; i++) api.v1.claims.appendLogIntoClaims('entry ' + i);"), { limits: { maxResultBytes: 64 * 1024 } });
    expect(result).toMatchObject({ outcome: "failed", error: { message: "RangeError: appendLogIntoClaims: the run keeps more than 65536 bytes of changes" } });
  });

  it("bounds a huge log in count and bytes", async () => {
    const result = await run(action("for (var i = 0; i < 1e4; i++) console.log('y'.repeat(1e4));"), { timeoutMs: 10_000 });
    expect(result.outcome).toBe("succeeded");
    expect(result.logs.reduce((n, l) => n + l.message.length, 0)).toBeLessThanOrEqual(64 * 1024 + 200);
    expect(result.logs.at(-1)?.message).toMatch(/^log truncated: .* more entries were dropped$/);
  });
});
