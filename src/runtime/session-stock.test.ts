import type { QuickJSRuntime } from "quickjs-emscripten";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveLimits } from "./limits.js";
import { emptyMutations } from "./mutations.js";
import { runAction } from "./run-action.js";
import { getSandboxModule, isRetired, markTainted, type SandboxModule } from "./sandbox-module.js";
import { closeSession, newSession } from "./sandbox.js";
import { SessionStock } from "./session-stock.js";
import type { ActionRunResult, RunLimits } from "./types.js";
import { action, claimsOf, stubHost } from "../../test/support/runtime-harness.js";

const MiB = 1024 * 1024;
const stocks: SessionStock[] = [];

afterEach(() => {
  for (const stock of stocks.splice(0)) stock.clear();
  vi.restoreAllMocks();
});

function newStock(): SessionStock {
  const stock = new SessionStock();
  stocks.push(stock);
  return stock;
}

/** Counts the runtimes `module` creates, and keeps them. */
function runtimesOf(module: SandboxModule): QuickJSRuntime[] {
  const made: QuickJSRuntime[] = [];
  const newRuntime = module.quickjs.newRuntime.bind(module.quickjs);
  vi.spyOn(module.quickjs, "newRuntime").mockImplementation((options) => {
    const runtime = newRuntime(options);
    made.push(runtime);
    return runtime;
  });
  return made;
}

function runWith(stock: SessionStock, module: SandboxModule, body: string, limits?: Partial<RunLimits>): ActionRunResult {
  const request = { name: "action", script: action(body), deadline: performance.now() + 2_000, flowType: "2", triggerType: "4", context: {}, mutations: emptyMutations(), limits };
  return runAction(request, stubHost().host, module, stock);
}

describe("prepared sessions", () => {
  it("gives each run a fresh runtime and context, prepared before the run and disposed after it", async () => {
    const module = await getSandboxModule();
    const stock = newStock();
    const runtimes = runtimesOf(module);
    expect(stock.prepare(module)).toBe(true);
    expect(runtimes).toHaveLength(1);

    const first = runWith(stock, module, 'globalThis.leaked = "first"; Object.prototype.polluted = true; String.prototype.trim = null;');
    expect(first.outcome).toBe("succeeded");
    // The run used the prepared runtime and left it alive: disposing it waits for tidy().
    expect(runtimes).toHaveLength(1);
    expect(runtimes[0]?.alive).toBe(true);
    stock.tidy();
    expect(runtimes[0]?.alive).toBe(false);
    expect(stock.prepare(module)).toBe(true);
    expect(runtimes).toHaveLength(2);

    const second = runWith(
      stock,
      module,
      'api.v1.claims.setClaim("seen", [typeof leaked, ({}).polluted === undefined, typeof " x ".trim]);',
    );
    expect(runtimes).toHaveLength(2);
    expect(claimsOf(second)).toEqual({ seen: ["undefined", true, "function"] });
  });

  it("stops any code in a session until its run arms it, and arms a session only once", async () => {
    const module = await getSandboxModule();
    const limits = resolveLimits(undefined, module.memoryCapBytes);
    const session = newSession(module, limits);
    try {
      const unarmed = session.vm.evalCode("1 + 1");
      expect(unarmed.error && session.vm.dump(unarmed.error)).toMatchObject({ message: "interrupted" });
      unarmed.error?.dispose();
      session.arm(limits, performance.now() + 1_000);
      expect(() => session.arm(limits, performance.now() + 1_000)).toThrow(/exactly one run/);
    } finally {
      closeSession(session);
    }
  });

  it("sets each run's own limits on the prepared runtime", async () => {
    const module = await getSandboxModule();
    const stock = newStock();
    // One 4 MiB string: refused under a 2 MiB heap limit, fine under the default 16 MiB.
    const bigString = 'api.v1.claims.setClaim("length", "x".repeat(4 * 1024 * 1024).length);';
    stock.prepare(module);
    expect(runWith(stock, module, bigString, { memoryBytes: 2 * MiB }).outcome).toBe("out_of_memory");
    stock.tidy();
    // Prepared with the last run's limits, 2 MiB.
    stock.prepare(module);
    expect(runWith(stock, module, bigString).outcome).toBe("succeeded");
    stock.tidy();
    stock.prepare(module);
    expect(runWith(stock, module, bigString, { memoryBytes: 2 * MiB }).outcome).toBe("out_of_memory");
  });

  it("never uses a session prepared on a module that was retired since: it is disposed, and the run gets one on the replacement", async () => {
    const old = await getSandboxModule();
    const stock = newStock();
    const oldRuntimes = runtimesOf(old);
    stock.prepare(old);
    markTainted(old, "test");
    expect(stock.prepare(old)).toBe(false);

    const next = await getSandboxModule();
    expect(next).not.toBe(old);
    const nextRuntimes = runtimesOf(next);
    expect(runWith(stock, next, "").outcome).toBe("succeeded");
    expect(oldRuntimes).toHaveLength(1);
    expect(oldRuntimes[0]?.alive).toBe(false);
    expect(nextRuntimes).toHaveLength(1);
  });

  it("taints the module when a deferred dispose fails, and the next session is prepared on the replacement", async () => {
    const module = await getSandboxModule();
    const stock = newStock();
    const runtimes = runtimesOf(module);
    stock.prepare(module);
    expect(runWith(stock, module, "").outcome).toBe("succeeded");
    // The runtime is left undisposed in a module that is replaced anyway.
    vi.spyOn(runtimes[0]!, "dispose").mockImplementation(() => {
      throw new Error("list_empty(&rt->gc_obj_list)");
    });
    stock.tidy();
    expect(isRetired(module)).toBe(true);
    expect(module.taintReason).toMatch(/dispose failed: list_empty/);
    expect(stock.prepare(module)).toBe(false);

    const next = await getSandboxModule();
    expect(next).not.toBe(module);
    expect(stock.prepare(next)).toBe(true);
    expect(runWith(stock, next, "").outcome).toBe("succeeded");
  });
});
