import { Worker } from "node:worker_threads";
import type { Logger } from "../../logger.js";
import type { ActionRunResult } from "../../runtime/index.js";
import type { ActionRunner, RunOrder } from "../action-runner.js";
import { executionErrors } from "../execution-errors.js";
import { type EgressFetcher, answerFetch } from "./fetch-bridge.js";
import { FairQueue } from "./fair-queue.js";
import { type FromWorker, type ToWorker, fetchHeaderBytes } from "./messages.js";

export interface WorkerPoolOptions {
  /** Worker threads; one run at a time each. */
  size: number;
  /** The runtime's worker entry (a TypeScript module). */
  entry: URL;
  fetcher: EgressFetcher;
  maxRunningPerOrg: number;
  maxQueuedPerOrg: number;
  /** How long past a run's deadline a silent worker is given before it is terminated and replaced. */
  watchdogGraceMs: number;
  /** Room for one fetch answer (the response cap plus JSON overhead). */
  fetchBufferBytes: number;
  log: Logger;
}

interface Job {
  order: RunOrder;
  resolve: (result: ActionRunResult) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  shared: SharedArrayBuffer;
  ready: boolean;
  retiring: boolean;
  current?: { id: number; org: string; job: Job; started: number; watchdog: NodeJS.Timeout };
}

const bootstrap = new URL("./worker-bootstrap.mjs", import.meta.url);

/**
 * Runs actions in worker threads so a busy script never stalls the API. A
 * watchdog terminates and replaces a worker that overruns its deadline (C
 * builtins such as sort ignore QuickJS's interrupt handler); a crashed or
 * retiring worker is replaced too. Orgs are served in turn, each capped.
 */
export function createWorkerPool(options: WorkerPoolOptions): ActionRunner & { close(): Promise<void> } {
  const queue = new FairQueue<Job>(options.maxRunningPerOrg, options.maxQueuedPerOrg);
  const slots = new Set<Slot>();
  let nextId = 1;
  let closed = false;

  function spawn(): void {
    const shared = new SharedArrayBuffer(fetchHeaderBytes + options.fetchBufferBytes);
    const worker = new Worker(bootstrap, {
      workerData: { entry: options.entry.href, shared },
      resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    const slot: Slot = { worker, shared, ready: false, retiring: false };
    slots.add(slot);
    worker.on("message", (msg: FromWorker) => onMessage(slot, msg));
    worker.on("error", (err) => options.log.error("action worker failed", { err }));
    worker.on("exit", (code) => {
      if (!slots.delete(slot)) return;
      if (slot.current) finish(slot, crashed(slot.current.job.order, `the sandbox worker exited (code ${code})`));
      if (!closed) spawn();
    });
  }

  function onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.type) {
      case "ready":
        slot.ready = true;
        return pump();
      case "result":
        if (slot.current?.id === msg.id) finish(slot, msg.result);
        return;
      case "fetch":
        void answerFetch(options.fetcher, msg.seq, msg.request, slot.shared);
        return;
      case "retire":
        options.log.warn("replacing an action worker", { reason: msg.reason });
        slot.retiring = true;
        return;
    }
  }

  function finish(slot: Slot, result: ActionRunResult): void {
    const current = slot.current!;
    clearTimeout(current.watchdog);
    slot.current = undefined;
    queue.done(current.org);
    current.job.resolve(result);
    if (slot.retiring) replace(slot);
    pump();
  }

  function replace(slot: Slot): void {
    slots.delete(slot);
    void slot.worker.terminate();
    if (!closed) spawn();
  }

  function pump(): void {
    for (const slot of slots) {
      if (!slot.ready || slot.current || slot.retiring) continue;
      const next = queue.take();
      if (!next) return;
      const { org, job } = next;
      const id = nextId++;
      const watchdog = setTimeout(() => overran(slot, id), job.order.timeoutMs + options.watchdogGraceMs);
      slot.current = { id, org, job, started: performance.now(), watchdog };
      slot.worker.postMessage({ type: "run", id, request: job.order } satisfies ToWorker);
    }
  }

  function overran(slot: Slot, id: number): void {
    const current = slot.current;
    if (!current || current.id !== id) return;
    options.log.warn("action overran its deadline; replacing its worker", { action: current.job.order.name });
    const result: ActionRunResult = {
      outcome: "timed_out",
      durationMs: performance.now() - current.started,
      logs: [],
      mutations: current.job.order.mutations,
      error: { message: `action "${current.job.order.name}" did not stop at its deadline (a builtin such as sort or a regular expression cannot be interrupted); it was terminated` },
    };
    slot.retiring = true;
    finish(slot, result);
  }

  for (let i = 0; i < options.size; i++) spawn();

  return {
    run(orgId, order) {
      if (closed) return Promise.reject(executionErrors.unavailable());
      return new Promise<ActionRunResult>((resolve, reject) => {
        if (!queue.push(orgId, { order, resolve, reject })) reject(executionErrors.orgBusy());
        else pump();
      });
    },
    /** Refuses queued runs, lets running ones finish (their watchdogs still apply), then stops the workers. */
    async close() {
      closed = true;
      for (const job of queue.drain()) job.reject(executionErrors.unavailable());
      while ([...slots].some((s) => s.current)) await new Promise((r) => setTimeout(r, 10));
      const workers = [...slots].map((s) => s.worker);
      slots.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function crashed(order: RunOrder, message: string): ActionRunResult {
  return { outcome: "failed", durationMs: 0, logs: [], mutations: order.mutations, error: { message } };
}
