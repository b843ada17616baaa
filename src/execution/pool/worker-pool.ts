import { Worker } from "node:worker_threads";
import type { Logger } from "../../logger.js";
import type { ActionRunResult } from "../../runtime/index.js";
import type { ActionRunner, RunOrder } from "../action-runner.js";
import { executionErrors } from "../../domain/execution-errors.js";
import { type EgressFetcher, answerFetch } from "./fetch-bridge.js";
import { FairQueue } from "./fair-queue.js";
import { type ClaimCells, claimCells, freeCell, offer, stopStarted, takeBack } from "./claim-cells.js";
import { type FromWorker, type ToWorker, fetchHeaderBytes } from "./messages.js";
import { crashed, notRun, overran } from "./run-results.js";

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

/** A run handed to a worker: the first of its slot runs, a second waits in the worker's queue. */
interface Run {
  id: number;
  ticket: number;
  /** The claim cell this run uses, while the slot holds it. */
  cell: number;
  org: string;
  job: Job;
  /** Taken past its org's cap because it follows its org's run on this worker: it may not move elsewhere. */
  pinned: boolean;
  /** Aborted when the run is stopped: ends a fetch the run is blocked in. */
  stop: AbortController;
  started: number;
  watchdog?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  shared: SharedArrayBuffer;
  claims: ClaimCells;
  tickets: number;
  ready: boolean;
  runs: Run[];
}

/** Runs that lost their worker before they started, with their org still counted as running. */
type Orphan = Pick<Run, "org" | "job">;

const bootstrap = new URL("./worker-bootstrap.mjs", import.meta.url);

/**
 * Runs actions in worker threads so a busy script never stalls the API. Each
 * worker runs one action at a time and holds at most one more in its queue,
 * so it starts the next run without waiting for the main thread's event loop;
 * an idle worker takes such a waiting run back from a busy one. A watchdog
 * terminates and replaces a worker that overruns its deadline (C builtins
 * such as sort ignore QuickJS's interrupt handler); a crashed worker is
 * replaced too. Orgs are served in turn, each capped.
 */
export function createWorkerPool(options: WorkerPoolOptions): ActionRunner & { close(): Promise<void> } {
  const queue = new FairQueue<Job>(options.maxRunningPerOrg, options.maxQueuedPerOrg);
  const slots = new Set<Slot>();
  const orphans: Orphan[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): void {
    const shared = new SharedArrayBuffer(fetchHeaderBytes + options.fetchBufferBytes);
    const worker = new Worker(bootstrap, {
      workerData: { entry: options.entry.href, shared },
      resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    const claims = claimCells(shared);
    const slot: Slot = { worker, shared, claims, tickets: 0, ready: false, runs: [] };
    slots.add(slot);
    worker.on("message", (msg: FromWorker) => onMessage(slot, msg));
    worker.on("error", (err) => options.log.error("action worker failed", { err }));
    worker.on("exit", (code) => {
      if (!slots.delete(slot)) return;
      const [first] = slot.runs;
      if (first) finish(slot, crashed(first.job.order, `the sandbox worker exited (code ${code})`));
      release(slot);
      if (!closed) spawn();
      pump();
    });
  }

  function onMessage(slot: Slot, msg: FromWorker): void {
    switch (msg.type) {
      case "ready":
        slot.ready = true;
        return pump();
      case "result":
        if (slot.runs[0]?.id === msg.id) finish(slot, msg.result);
        return pump();
      case "fetch":
        // Messages come in order: the run fetching is the first one the slot holds.
        void answerFetch(options.fetcher, msg.seq, msg.request, slot.shared, slot.runs[0]?.stop.signal);
        return;
    }
  }

  /** Settles the slot's first run; the worker is then on the next one, if it holds one. */
  function finish(slot: Slot, result: ActionRunResult): void {
    const run = slot.runs.shift()!;
    clearTimeout(run.watchdog);
    queue.done(run.org);
    run.job.resolve(result);
    const next = slot.runs[0];
    if (next) arm(slot, next);
  }

  /** Starts a run's watchdog: from when the main thread learns the worker is on it, which is never early. */
  function arm(slot: Slot, run: Run): void {
    run.started = performance.now();
    run.watchdog = setTimeout(() => watchdogFired(slot, run.id), run.job.order.timeoutMs + options.watchdogGraceMs);
  }

  function replace(slot: Slot): void {
    if (!slots.delete(slot)) return;
    release(slot);
    void slot.worker.terminate();
    if (!closed) spawn();
  }

  /** A slot going away gives back what it held but never started; a started run dies with its worker. */
  function release(slot: Slot): void {
    for (const run of slot.runs.splice(0)) {
      clearTimeout(run.watchdog);
      if (takeBack(slot.claims, run)) orphans.push(run);
      else {
        queue.done(run.org);
        run.job.resolve(crashed(run.job.order, "the sandbox worker running this action was replaced"));
      }
    }
  }

  function send(slot: Slot, org: string, job: Job, pinned: boolean): void {
    const run: Run = { id: nextId++, ticket: ++slot.tickets, cell: freeCell(slot.runs), org, job, pinned, started: 0, stop: new AbortController() };
    offer(slot.claims, run);
    slot.runs.push(run);
    if (slot.runs.length === 1) arm(slot, run);
    slot.worker.postMessage({ type: "run", id: run.id, ticket: run.ticket, cell: run.cell, request: job.order } satisfies ToWorker);
  }

  /** Idle workers first, so a run waits behind another only when every worker is busy. */
  function pump(): void {
    const usable = [...slots].filter((s) => s.ready);
    for (const slot of usable) {
      if (slot.runs.length > 0) continue;
      const next = orphans.shift() ?? queue.take() ?? stealWaiting(usable);
      if (!next) break;
      send(slot, next.org, next.job, false);
    }
    for (const slot of usable) {
      if (slot.runs.length !== 1) continue;
      const next = queue.take(slot.runs[0]!.org);
      if (!next) continue;
      send(slot, next.org, next.job, next.overCap);
    }
  }

  /** A run waiting behind another on a busy worker, taken back for an idle one (unless the worker just started it). */
  function stealWaiting(usable: Slot[]): Orphan | undefined {
    for (const slot of usable) {
      const waiting = slot.runs[1];
      if (waiting && !waiting.pinned && takeBack(slot.claims, waiting)) return slot.runs.pop();
    }
    return undefined;
  }

  /** A run whose caller went away: not started if it can be helped, stopped if it runs. */
  function callerGone(org: string, job: Job): void {
    if (queue.remove(org, job)) return job.resolve(notRun(job.order));
    const orphan = orphans.findIndex((o) => o.job === job);
    if (orphan !== -1) {
      orphans.splice(orphan, 1);
      queue.done(org);
      return job.resolve(notRun(job.order));
    }
    for (const slot of slots) {
      const at = slot.runs.findIndex((r) => r.job === job);
      if (at === -1) continue;
      const run = slot.runs[at]!;
      if (takeBack(slot.claims, run)) {
        clearTimeout(run.watchdog);
        slot.runs.splice(at, 1);
        queue.done(org);
        job.resolve(notRun(job.order));
        const next = slot.runs[0];
        if (at === 0 && next) arm(slot, next);
        return pump();
      }
      // Started: its result comes back as usual, as soon as the worker sees the stop.
      stopStarted(slot.claims, run);
      run.stop.abort();
      return;
    }
  }

  function watchdogFired(slot: Slot, id: number): void {
    const run = slot.runs[0];
    if (!run || run.id !== id) return;
    options.log.warn("action overran its deadline; replacing its worker", { action: run.job.order.name });
    finish(slot, overran(run.job.order, performance.now() - run.started));
    replace(slot);
    pump();
  }

  for (let i = 0; i < options.size; i++) spawn();

  return {
    run(orgId, order, signal) {
      if (closed) return Promise.reject(executionErrors.unavailable());
      if (signal?.aborted) return Promise.resolve(notRun(order));
      return new Promise<ActionRunResult>((resolve, reject) => {
        const stop = () => callerGone(orgId, job);
        const settle = () => signal?.removeEventListener("abort", stop);
        const job: Job = {
          order,
          resolve: (result) => (settle(), resolve(result)),
          reject: (err) => (settle(), reject(err)),
        };
        if (!queue.push(orgId, job)) return job.reject(executionErrors.orgBusy());
        signal?.addEventListener("abort", stop, { once: true });
        pump();
      });
    },
    /** Refuses queued runs, lets those handed to workers finish (their watchdogs still apply), then stops the workers. */
    async close() {
      closed = true;
      for (const job of queue.drain()) job.reject(executionErrors.unavailable());
      for (const orphan of orphans.splice(0)) orphan.job.reject(executionErrors.unavailable());
      while ([...slots].some((s) => s.runs.length > 0)) await new Promise((r) => setTimeout(r, 10));
      const workers = [...slots].map((s) => s.worker);
      slots.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
