/**
 * In-process references for bench/execute.ts: the same script executed in a
 * synchronous loop on this thread, one execution at a time, with no server,
 * no worker thread and no RPC.
 *
 * - bare quickjs: quickjs-emscripten with @jitl/quickjs-ng-wasmfile-release-sync
 *   directly; per execution a fresh runtime + context, a minimal `api.v1.claims.setClaim`
 *   host function and empty `ctx`, eval, call, dispose. No limits, no interrupt handler.
 * - runAction in-thread: the project's `runAction` (src/runtime) on this thread's
 *   sandbox module: the same work a pool worker does per run, minus the thread hop.
 */
import { newQuickJSWASMModuleFromVariant, Scope } from "quickjs-emscripten";
import { emptyMutations, getSandboxModule, runAction, type ActionHost, type ActionRunResult } from "../src/runtime/index.js";
import { percentile } from "./load.js";

export interface LoopResult {
  executions: number;
  elapsedMs: number;
  perSecond: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/** An in-process reference measured alone, with the CPU other processes used meanwhile. */
export interface Reference {
  r: LoopResult;
  othersCpu: number;
}

export interface LoopOptions {
  warmupMs: number;
  durationMs: number;
  /** Hard cap on executions per phase (also the size of the latency buffer). */
  maxExecutions: number;
}

/** Runs `execute` back to back on this thread: a warm-up, then a measured phase; bounded by time and count. */
export function measureLoop(execute: () => void, o: LoopOptions): LoopResult {
  const phase = (ms: number, record?: Float64Array) => {
    const start = performance.now();
    const end = start + ms;
    let n = 0;
    while (n < o.maxExecutions) {
      const t0 = performance.now();
      if (t0 >= end) break;
      execute();
      if (record) record[n] = performance.now() - t0;
      n++;
    }
    return { n, elapsedMs: performance.now() - start };
  };
  phase(o.warmupMs);
  const latencies = new Float64Array(o.maxExecutions);
  const { n, elapsedMs } = phase(o.durationMs, latencies);
  const sorted = latencies.subarray(0, n).sort();
  const meanMs = sorted.reduce((a, b) => a + b, 0) / n;
  return { executions: n, elapsedMs, perSecond: (n / elapsedMs) * 1000, meanMs, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

/** A bare execution of `script` (calling global `name`); returns it and the claims its last run set. */
export async function bareQuickJS(script: string, name: string) {
  const quickjs = await newQuickJSWASMModuleFromVariant(import("@jitl/quickjs-ng-wasmfile-release-sync"));
  const claims = new Map<string, string>();
  const execute = () =>
    Scope.withScope((scope) => {
      claims.clear();
      const runtime = scope.manage(quickjs.newRuntime());
      const vm = scope.manage(runtime.newContext());
      const setClaim = scope.manage(vm.newFunction("setClaim", (k, v) => void claims.set(vm.getString(k), vm.getString(v))));
      const claimsObject = scope.manage(vm.newObject());
      vm.setProp(claimsObject, "setClaim", setClaim);
      const v1 = scope.manage(vm.newObject());
      vm.setProp(v1, "claims", claimsObject);
      const api = scope.manage(vm.newObject());
      vm.setProp(api, "v1", v1);
      const ctx = scope.manage(vm.newObject());
      scope.manage(vm.unwrapResult(vm.evalCode(script, "action.js", { type: "global" })));
      const fn = scope.manage(vm.getProp(vm.global, name));
      scope.manage(vm.unwrapResult(vm.callFunction(fn, vm.undefined, ctx, api)));
    });
  return { execute, claims: () => Object.fromEntries(claims) };
}

const noNetwork: ActionHost = { fetch: () => ({ error: "no network in the bench" }) };

/** The project's runAction on this thread's cached sandbox module, as a pool worker calls it. */
export async function runActionInThread(script: string, name: string, flowType: string, triggerType: string) {
  await getSandboxModule();
  let last: ActionRunResult | undefined;
  const execute = () => {
    const deadline = performance.now() + 1_000;
    last = runAction({ name, script, deadline, flowType, triggerType, context: {}, mutations: emptyMutations() }, noNetwork);
  };
  return { execute, last: () => last };
}
