import type { QuickJSHandle } from "quickjs-emscripten";
import { describeGuestError } from "./describe-error.js";
import type { GuestEnv } from "./guest-env.js";
import type { PackedMutations } from "./mutations.js";
import { type SandboxModule, wasmMemoryBytes } from "./sandbox-module.js";
import type { Outcome, RunError } from "./types.js";

export interface Execution {
  outcome: Outcome;
  error?: RunError;
  mutations?: PackedMutations;
}

const MiB = 1024 * 1024;

export function failed(message: string): Execution {
  return { outcome: "failed", error: { message } };
}

/** The outcome for a guest exception that ended the run. */
export function failureOf(env: GuestEnv, error: QuickJSHandle): Execution {
  const { session } = env;
  // quickjs-ng reports an interrupt at the start of the running function, not at the loop, so no location.
  if (session.interrupted()) return timedOut();
  const internal = env.internalError();
  if (internal !== undefined) return hostFailureOf(internal, session.module);
  const info = describeGuestError(env, error);
  const where = { line: info.line, column: info.column };
  // Runs start below half the cap (bigger modules are recycled), so a module at its cap means this
  // run exhausted it; the thrown value is then often null, as QuickJS could not allocate an error.
  if (info.outOfMemory || memoryExhausted(session.module)) {
    return { outcome: "out_of_memory", error: { message: outOfMemoryMessage(env), ...where } };
  }
  if (pastDeadline(env)) return timedOut();
  return { outcome: "failed", error: { message: info.message, ...where } };
}

/**
 * C built-ins (sort, JSON.stringify of a huge array) never poll the interrupt
 * handler, so a run can end past its deadline without being interrupted; it
 * still timed out.
 */
export function pastDeadline(env: GuestEnv): boolean {
  return performance.now() > env.deadline;
}

export function timedOut(): Execution {
  return { outcome: "timed_out", error: { message: "timed out: the action did not finish before its deadline" } };
}

/** A run the host stopped: it counts as timed out, and says why. */
export function stoppedByHost(): Execution {
  return { outcome: "timed_out", error: { message: "stopped: the caller went away before the action finished" } };
}

/**
 * The outcome when host code around the guest threw: a WASM trap, an
 * emscripten abort, or V8's own stack overflowing under a deep recursion in
 * QuickJS's C code (JSON.stringify of a deeply nested value), which QuickJS's
 * own stack limit does not see because WASM frames live on V8's stack.
 */
export function hostFailureOf(error: unknown, module: SandboxModule): Execution {
  if (error instanceof RangeError) {
    return failed("stack overflow: the action recursed too deeply for this thread's stack");
  }
  if (memoryExhausted(module)) {
    return { outcome: "out_of_memory", error: { message: "out of memory: the sandbox's memory is exhausted" } };
  }
  return failed(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
}

/** The module's WASM memory is (nearly) at its cap: every allocation may fail now. */
function memoryExhausted(module: SandboxModule): boolean {
  return wasmMemoryBytes(module) >= module.memoryCapBytes - 2 * MiB;
}

function outOfMemoryMessage(env: GuestEnv): string {
  const limit = Math.round(env.limits.memoryBytes / MiB);
  return `out of memory: the action exceeded its memory limit (${limit} MiB heap, ${Math.round(env.session.module.memoryCapBytes / MiB)} MiB sandbox)`;
}
