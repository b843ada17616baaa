import { parentPort, workerData } from "node:worker_threads";
import type { ActionRunResult } from "../../src/runtime/index.js";
import { type FromWorker, type ToWorker, claimCellsOf } from "../../src/runtime/worker-protocol.js";

/**
 * A stand-in for the runtime's worker entry that speaks its protocol
 * (runtime/worker-protocol.ts) and fails on request, so the pool's handling
 * of broken workers can be tested without a script that breaks one. The
 * run's name says what it does: "unreadable" answers with a result the main
 * thread cannot deserialise, "throw" ends the worker with an uncaught error,
 * "exit" exits it; any other name succeeds. First, it blocks for
 * `context.waitMs`, as a busy run would, so that another run can wait behind it.
 */
const port = parentPort!;
const claims = claimCellsOf((workerData as { shared: SharedArrayBuffer }).shared);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A value nested one level deeper per step. */
function nested(depth: number): object {
  let value = {};
  for (let i = 0; i < depth; i++) value = { value };
  return value;
}

/**
 * Posts a result nested as deeply as this thread can serialise. A worker's
 * stack (4 MiB, worker-slot.ts) is larger than the main thread's, whose
 * deserialiser then runs out of stack: the pool gets a `messageerror`.
 */
function postUnreadable(id: number, result: ActionRunResult): void {
  for (let depth = 1 << 16; depth > 0; depth >>= 1) {
    try {
      return port.postMessage({ type: "result", id, result: { ...result, logs: [nested(depth)] } });
    } catch {
      // Too deep to serialise here: try half as deep.
    }
  }
}

port.on("message", (msg: ToWorker) => {
  if (msg.type !== "run" || Atomics.compareExchange(claims, msg.cell, msg.ticket, -msg.ticket) !== msg.ticket) return;
  const { name, context, mutations } = msg.request;
  const waitMs = typeof context["waitMs"] === "number" ? context["waitMs"] : 0;
  if (waitMs > 0) Atomics.wait(sleeper, 0, 0, waitMs);
  if (name === "throw") throw new Error("the fake worker failed");
  if (name === "exit") process.exit(7);
  const result: ActionRunResult = { outcome: "succeeded", durationMs: waitMs, logs: [], mutations };
  if (name === "unreadable") return postUnreadable(msg.id, result);
  port.postMessage({ type: "result", id: msg.id, result } satisfies FromWorker);
});
port.postMessage({ type: "ready" } satisfies FromWorker);
