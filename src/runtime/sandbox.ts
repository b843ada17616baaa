import { type QuickJSContext, type QuickJSRuntime, Scope } from "quickjs-emscripten";
import { markTainted, type SandboxModule } from "./sandbox-module.js";
import type { RunLimits } from "./types.js";

// No TypedArrays/ArrayBuffer/SharedArrayBuffer/DataView (where most recent QuickJS
// memory bugs live), no Proxy; WebAssembly and BigInt are never added.
const intrinsics = {
  BaseObjects: true,
  Date: true,
  Eval: true,
  StringNormalize: true,
  RegExp: true,
  JSON: true,
  MapSet: true,
  Promise: true,
} as const;

/** A fresh QuickJS runtime and context for one run, with its limits and deadline armed. */
export interface Session {
  readonly module: SandboxModule;
  readonly runtime: QuickJSRuntime;
  readonly vm: QuickJSContext;
  /** Owns every handle of the run; disposed before the context. */
  readonly scope: Scope;
  /** True once the interrupt handler has stopped guest code for the deadline (or the host's stop). */
  interrupted(): boolean;
}

export function openSession(module: SandboxModule, limits: RunLimits, deadline: number, stopped?: () => boolean): Session {
  const runtime = module.quickjs.newRuntime();
  let fired = false;
  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    // performance.now is monotonic with sub-ms resolution; shouldInterruptAfterDeadline uses Date.now.
    runtime.setInterruptHandler(() => {
      if (performance.now() <= deadline && !stopped?.()) return false;
      fired = true;
      return true;
    });
    const vm = runtime.newContext({ intrinsics });
    return {
      module,
      runtime,
      vm,
      scope: new Scope(),
      interrupted() {
        return fired;
      },
    };
  } catch (error) {
    disposeOrTaint(module, () => runtime.dispose());
    throw error;
  }
}

/** Disposes handles, context and runtime; any throw means the module can no longer be trusted. */
export function closeSession(session: Session): void {
  const { module } = session;
  disposeOrTaint(module, () => session.scope.dispose());
  disposeOrTaint(module, () => session.vm.dispose());
  disposeOrTaint(module, () => session.runtime.dispose());
}

function disposeOrTaint(module: SandboxModule, dispose: () => void): void {
  try {
    dispose();
  } catch (error) {
    // E.g. quickjs-ng asserting on a non-empty GC list after an interrupted promise job.
    markTainted(module, `dispose failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
