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

/** A fresh QuickJS runtime and context for one run. */
export interface Session {
  readonly module: SandboxModule;
  readonly runtime: QuickJSRuntime;
  readonly vm: QuickJSContext;
  /** Owns every handle of the run; disposed before the context. */
  readonly scope: Scope;
  /**
   * Starts the session's one run: its limits, and the deadline and stop its
   * interrupt handler asks. Until then the handler stops any code, so a
   * session made ahead of its run cannot run anything before it; a second
   * call throws, so a session never serves two runs.
   */
  arm(limits: RunLimits, deadline: number, stopped?: () => boolean): void;
  /** True once the interrupt handler has stopped guest code for the deadline (or the host's stop). */
  interrupted(): boolean;
}

/** Where a run gets its session and hands it back when it ends. */
export interface SessionSource {
  /** A session on `module` that has never been armed. */
  open(module: SandboxModule, limits: RunLimits): Session;
  close(session: Session): void;
}

/** Each run opens its session when it starts and disposes it before it returns. */
export const freshSessions: SessionSource = { open: newSession, close: closeSession };

/** A fresh runtime and context with `limits`, not yet armed for a run. */
export function newSession(module: SandboxModule, limits: RunLimits): Session {
  const runtime = module.quickjs.newRuntime();
  let run: { deadline: number; stopped?: () => boolean } | undefined;
  let fired = false;
  try {
    const { memoryBytes, stackBytes } = limits;
    runtime.setMemoryLimit(memoryBytes);
    runtime.setMaxStackSize(stackBytes);
    // performance.now is monotonic with sub-ms resolution; shouldInterruptAfterDeadline uses Date.now.
    runtime.setInterruptHandler(() => {
      if (run && performance.now() <= run.deadline && !run.stopped?.()) return false;
      fired = true;
      return true;
    });
    const vm = runtime.newContext({ intrinsics });
    return {
      module,
      runtime,
      vm,
      scope: new Scope(),
      arm(own, deadline, stopped) {
        if (run) throw new Error("a sandbox session serves exactly one run");
        if (own.memoryBytes !== memoryBytes) runtime.setMemoryLimit(own.memoryBytes);
        if (own.stackBytes !== stackBytes) runtime.setMaxStackSize(own.stackBytes);
        run = { deadline, stopped };
      },
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
