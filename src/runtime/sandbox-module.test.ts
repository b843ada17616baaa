import { describe, expect, it } from "vitest";
import { emptyMutations } from "./mutations.js";
import { runAction } from "./run-action.js";
import {
  currentSandboxModule,
  getSandboxModule,
  isRetired,
  loadSandboxModule,
  markTainted,
  wasmMemoryBytes,
} from "./sandbox-module.js";
import { action, run, stubHost } from "../../test/support/runtime-harness.js";

const MiB = 1024 * 1024;

function request(script: string) {
  return { name: "action", script, deadline: performance.now() + 2_000, flowType: "2", triggerType: "4", context: {}, mutations: emptyMutations() };
}

describe("sandbox modules", () => {
  it("caches one module per thread while it is healthy", async () => {
    const module = await getSandboxModule();
    expect(await getSandboxModule()).toBe(module);
    expect(currentSandboxModule()).toBe(module);
    const before = module.runs;
    runAction(request(action("")), stubHost().host);
    expect(module.runs).toBe(before + 1);
  });

  it("caps the WASM memory of a module", async () => {
    const module = await loadSandboxModule({ memoryCapBytes: 24 * MiB, recycleAboveBytes: 20 * MiB });
    const result = await run(action("var keep = []; for (;;) keep.push(new Array(1000).fill(1));"), { module, timeoutMs: 10_000 });
    expect(result.outcome).toBe("out_of_memory");
    expect(wasmMemoryBytes(module)).toBeLessThanOrEqual(24 * MiB);
    expect(isRetired(module)).toBe(true);
  });

  it("refuses to run on a retired module, and replaces a tainted cached one", async () => {
    const module = await getSandboxModule();
    markTainted(module, "test");
    expect(() => runAction(request(action("")), stubHost().host, module)).toThrow(/retired \(test\)/);
    expect(() => currentSandboxModule()).toThrow(/await getSandboxModule\(\)/);
    const next = await getSandboxModule();
    expect(next).not.toBe(module);
    expect(runAction(request(action("")), stubHost().host).outcome).toBe("succeeded");
  });

  it("preloads the replacement as soon as a run retires the cached module", async () => {
    const module = await getSandboxModule();
    runAction({ ...request(action("var keep = []; for (;;) keep.push(new Array(1000).fill(1));")), deadline: performance.now() + 10_000 }, stubHost().host);
    expect(isRetired(module)).toBe(true);
    const started = performance.now();
    const next = await getSandboxModule();
    expect(next).not.toBe(module);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("taints the module when a dispose fails, and the run still reports its outcome", async () => {
    const module = await getSandboxModule();
    // An interrupted promise job can leave quickjs-ng's GC list non-empty; whether it does varies, so
    // this only checks that whatever happens is handled: an outcome, and a usable thread afterwards.
    const result = await run(action("function again() { return Promise.resolve().then(again); } again();"), { module, timeoutMs: 30 });
    expect(result.outcome).toBe("timed_out");
    if (module.tainted) expect(module.taintReason).toMatch(/dispose failed/);
    expect((await run(action(""))).outcome).toBe("succeeded");
  });
});
