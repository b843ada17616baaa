import { parentPort, workerData } from "node:worker_threads";
import { HeldSecrets } from "./held-secrets.js";
import { emptyMutations } from "./mutations.js";
import { runAction } from "./run-action.js";
import { getSandboxModule } from "./sandbox-module.js";
import { SessionStock } from "./session-stock.js";
import type { ActionHost, HostFetchResponse } from "./types.js";
import { type FromWorker, type ToWorker, claimCellsOf, fetchHeader, fetchHeaderBytes, fetchHeaderSlots } from "./worker-protocol.js";

/**
 * The inside of an action worker thread: one QuickJS module, one run at a
 * time (a second may wait in the message queue). After posting a run's
 * answer, the thread disposes that run's runtime and context and prepares
 * fresh ones for the next run (session-stock.ts), so a run waits for neither.
 * A script's fetch is synchronous for the script: this thread asks the
 * main thread to fetch and blocks in Atomics.wait until the answer is in the
 * shared buffer, so only this thread waits, never the server's event loop.
 * The buffer layout and messages are in worker-protocol.ts, shared with the pool.
 */
const port = parentPort!;
const shared = (workerData as { shared: SharedArrayBuffer }).shared;
const header = fetchHeader(shared);
const { state, length, seq: seqSlot } = fetchHeaderSlots;
/** One claim cell per run this worker may hold (see the pool's claim-cells.ts): a run starts only once claimed here. */
const claims = claimCellsOf(shared);
let seq = 0;

const host: ActionHost = {
  fetch(request): HostFetchResponse {
    seq = (seq + 1) | 0;
    Atomics.store(header, state, 0);
    Atomics.store(header, seqSlot, seq);
    port.postMessage({ type: "fetch", seq, request } satisfies FromWorker);
    // The main thread bounds the request by the same deadline; the margin only covers the hand-over.
    if (Atomics.wait(header, state, 0, request.timeoutMs + 1_000) === "timed-out") {
      Atomics.store(header, seqSlot, 0);
      return { error: "request timed out" };
    }
    const bytes = new Uint8Array(Atomics.load(header, length));
    bytes.set(new Uint8Array(shared, fetchHeaderBytes, bytes.length));
    return JSON.parse(new TextDecoder().decode(bytes)) as HostFetchResponse;
  },
};

const sessions = new SessionStock();
const secrets = new HeldSecrets();
// Before the first module loads: every module of this thread prints through the main thread's log.
await getSandboxModule({ onOutput: (text) => port.postMessage({ type: "output", text } satisfies FromWorker) });

/** While the thread is idle: disposes the finished run's session and prepares the next run's. */
async function restock(): Promise<void> {
  sessions.tidy();
  // Preparing can itself retire the module (its memory past the threshold): then prepare on the replacement.
  if (!sessions.prepare(await getSandboxModule())) sessions.prepare(await getSandboxModule());
}

await restock();
// The first runs after loading are slow (WASM tier-up): pay for them before the first real one.
for (let i = 0; i < 3; i++) {
  runAction(
    { name: "warm", script: "function warm(ctx, api) {}", deadline: performance.now() + 1_000, flowType: "2", triggerType: "4", context: {}, mutations: emptyMutations() },
    host,
    await getSandboxModule(),
    sessions,
  );
  await restock();
}

port.on("message", async (msg: ToWorker) => {
  if (msg.type !== "run") return;
  secrets.receive(msg.secrets);
  // Lost: the main thread took this run back for an idle worker while it waited here.
  if (Atomics.compareExchange(claims, msg.cell, msg.ticket, -msg.ticket) !== msg.ticket) return;
  const { timeoutMs, ...request } = msg.request;
  const module = await getSandboxModule();
  // The main thread zeroes the cell when the run's caller goes away.
  const stopped = () => Atomics.load(claims, msg.cell) !== -msg.ticket;
  const run = { ...request, secrets: secrets.valuesFor(msg.secrets), deadline: performance.now() + timeoutMs, stopped };
  const result = runAction(run, host, module, sessions);
  port.postMessage({ type: "result", id: msg.id, result } satisfies FromWorker);
  await restock();
});
port.postMessage({ type: "ready" } satisfies FromWorker);
