import { parentPort, workerData } from "node:worker_threads";
import { emptyMutations } from "./mutations.js";
import { runAction } from "./run-action.js";
import { getSandboxModule } from "./sandbox-module.js";
import type { ActionHost, ActionRunRequest, HostFetchResponse } from "./types.js";

/**
 * The inside of an action worker thread: one QuickJS module, one run at a
 * time (a second may wait in the message queue). A script's fetch is synchronous for the script: this thread asks the
 * main thread to fetch and blocks in Atomics.wait until the answer is in the
 * shared buffer, so only this thread waits, never the server's event loop.
 * The message shapes mirror src/execution/pool/messages.ts (the runtime
 * imports nothing from the service).
 */
const port = parentPort!;
const shared = (workerData as { shared: SharedArrayBuffer }).shared;
const header = new Int32Array(shared, 0, 3);
const headerBytes = 24;
const [state, length, seqSlot] = [0, 1, 2];
/** One claim cell per run this worker may hold (see the pool's claim-cells.ts): a run starts only once claimed here. */
const runsPerWorker = 2;
const claims = new Int32Array(shared, 4 * 4, runsPerWorker);
let seq = 0;

const host: ActionHost = {
  fetch(request): HostFetchResponse {
    seq = (seq + 1) | 0;
    Atomics.store(header, state, 0);
    Atomics.store(header, seqSlot, seq);
    port.postMessage({ type: "fetch", seq, request });
    // The main thread bounds the request by the same deadline; the margin only covers the hand-over.
    if (Atomics.wait(header, state, 0, request.timeoutMs + 1_000) === "timed-out") {
      Atomics.store(header, seqSlot, 0);
      return { error: "request timed out" };
    }
    const bytes = new Uint8Array(Atomics.load(header, length));
    bytes.set(new Uint8Array(shared, headerBytes, bytes.length));
    return JSON.parse(new TextDecoder().decode(bytes)) as HostFetchResponse;
  },
};

type RunMessage = { type: "run"; id: number; ticket: number; cell: number; request: Omit<ActionRunRequest, "deadline" | "stopped"> & { timeoutMs: number } };

await getSandboxModule();
// The first runs after loading are slow (WASM tier-up): pay for them before the first real one.
for (let i = 0; i < 3; i++) {
  runAction(
    { name: "warm", script: "function warm(ctx, api) {}", deadline: performance.now() + 1_000, flowType: "2", triggerType: "4", context: {}, mutations: emptyMutations() },
    host,
    await getSandboxModule(),
  );
}

port.on("message", async (msg: RunMessage) => {
  if (msg.type !== "run") return;
  // Lost: the main thread took this run back for an idle worker while it waited here.
  if (Atomics.compareExchange(claims, msg.cell, msg.ticket, -msg.ticket) !== msg.ticket) return;
  const { timeoutMs, ...request } = msg.request;
  const module = await getSandboxModule();
  // The main thread zeroes the cell when the run's caller goes away.
  const stopped = () => Atomics.load(claims, msg.cell) !== -msg.ticket;
  const result = runAction({ ...request, deadline: performance.now() + timeoutMs, stopped }, host, module);
  port.postMessage({ type: "result", id: msg.id, result });
});
port.postMessage({ type: "ready" });
