import { Worker } from "node:worker_threads";
import type { Logger } from "../../logger.js";
import { type ActionRunResult, type FromWorker, type ToWorker, fetchHeaderBytes } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";
import * as claims from "./claim-cells.js";
import { type EgressFetcher, answerFetch } from "./fetch-bridge.js";
import type { PoolJob } from "./pool-job.js";
import { crashed, overran } from "./run-results.js";

export interface WorkerSlotOptions {
  /** The runtime's worker entry (a TypeScript module). */
  entry: URL;
  fetcher: EgressFetcher;
  /** How long past a run's deadline a silent worker is given before it is terminated and replaced. */
  watchdogGraceMs: number;
  /** Room for one fetch answer (the response cap plus JSON overhead). */
  fetchBufferBytes: number;
  log: Logger;
}

/** What a slot tells the pool, from inside the worker event or timer that caused it. */
export interface SlotEvents {
  /** A run the slot held has its result; the slot no longer holds it. */
  settled(job: PoolJob, result: ActionRunResult): void;
  /** A run the worker never started, given back because the worker is gone. */
  orphaned(job: PoolJob): void;
  /** The worker is gone (it exited, or the watchdog terminated it); the slot holds nothing and takes nothing more. */
  lost(slot: WorkerSlot, reason: string): void;
  /** The worker can take more: it has loaded, or a run ended. */
  freed(): void;
}

/** A run handed to the worker. */
interface HeldRun {
  job: PoolJob;
  /** Its claim (claim-cells.ts). The ticket doubles as the run's id in result messages: both need only be unique per worker. */
  cell: number;
  ticket: number;
  /** Taken past its org's cap because it follows its org's run on this worker: it may not move elsewhere. */
  pinned: boolean;
  /** Aborted when the run is stopped: ends a fetch the run is blocked in. */
  stop: AbortController;
}

const bootstrap = new URL("./worker-bootstrap.mjs", import.meta.url);

/**
 * One worker thread and the runs it holds: the one it is on and at most one
 * waiting behind it in its message queue, so it starts that one without
 * waiting for the main thread's event loop. A held run's claim cell decides
 * whether the worker starts it or the pool takes it back. A watchdog
 * terminates a worker that overruns its run's deadline, since C builtins such
 * as sort ignore QuickJS's interrupt handler. Which run goes to which worker
 * is the pool's choice (worker-pool.ts); see docs/worker-pool.md.
 */
export class WorkerSlot {
  private readonly worker: Worker;
  private readonly shared: SharedArrayBuffer;
  private readonly cells: claims.ClaimCells;
  private readonly runs: HeldRun[] = [];
  private tickets = 0;
  private loaded = false;
  private gone = false;
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly options: WorkerSlotOptions,
    private readonly events: SlotEvents,
  ) {
    this.shared = new SharedArrayBuffer(fetchHeaderBytes + options.fetchBufferBytes);
    this.cells = claims.claimCells(this.shared);
    this.worker = new Worker(bootstrap, {
      workerData: { entry: options.entry.href, shared: this.shared },
      resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    this.worker.on("message", (msg: FromWorker) => this.onMessage(msg));
    this.worker.on("error", (err) => options.log.error("action worker failed", { err }));
    this.worker.on("exit", (code) => this.onExit(code));
  }

  /** The worker has loaded and takes runs. */
  get ready(): boolean {
    return this.loaded;
  }

  /** 0 (idle), 1 (running) or 2 (running, one waiting behind). */
  get held(): number {
    return this.runs.length;
  }

  /** The org of the run the worker is on. */
  get runningOrg(): string | undefined {
    return this.runs[0]?.job.org;
  }

  /** Hands the worker a run, which it starts once the one it is on ends. A pinned run is never taken back for another worker. */
  offer(job: PoolJob, pinned: boolean): void {
    const run: HeldRun = { job, ticket: ++this.tickets, cell: claims.freeCell(this.runs), pinned, stop: new AbortController() };
    claims.offer(this.cells, run);
    this.runs.push(run);
    if (this.runs.length === 1) this.watchFirst();
    this.worker.postMessage({ type: "run", id: run.ticket, ticket: run.ticket, cell: run.cell, request: job.order } satisfies ToWorker);
  }

  /** The run waiting behind the running one, taken back for an idle worker; none if it is pinned or the worker just started it. */
  takeBackWaiting(): PoolJob | undefined {
    const waiting = this.runs[1];
    if (!waiting || waiting.pinned || !claims.takeBack(this.cells, waiting)) return undefined;
    this.runs.pop();
    return waiting.job;
  }

  /**
   * For a run whose caller went away: takes it back if the worker has not
   * started it, else asks the worker to stop it, and its result comes back
   * as usual as soon as the worker sees the stop.
   */
  withdraw(job: PoolJob): "taken back" | "stopping" | "not held" {
    const at = this.runs.findIndex((r) => r.job === job);
    if (at === -1) return "not held";
    const run = this.runs[at]!;
    if (!claims.takeBack(this.cells, run)) {
      claims.stopStarted(this.cells, run);
      run.stop.abort();
      return "stopping";
    }
    this.runs.splice(at, 1);
    if (at === 0) this.watchFirst();
    return "taken back";
  }

  /** Ends the worker on shutdown, once it holds no runs. */
  async terminate(): Promise<void> {
    this.gone = true;
    await this.worker.terminate();
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case "ready":
        this.loaded = true;
        return this.events.freed();
      case "result":
        if (this.runs[0]?.ticket === msg.id) this.finishFirst(msg.result);
        return this.events.freed();
      case "fetch":
        // Messages come in order: the run fetching is the first one the slot holds.
        void answerFetch(this.options.fetcher, msg.seq, msg.request, this.shared, this.runs[0]?.stop.signal);
        return;
    }
  }

  private onExit(code: number): void {
    if (this.gone) return;
    this.die((order) => crashed(order, `the sandbox worker exited (code ${code})`), `exited (code ${code})`);
  }

  /** Settles the run the worker was on; the worker is then on the next one, if it holds one. */
  private finishFirst(result: ActionRunResult): void {
    const run = this.runs.shift()!;
    this.watchFirst();
    this.events.settled(run.job, result);
  }

  /** Times the run the worker is on from when the main thread learns the worker is on it, which is never early. */
  private watchFirst(): void {
    clearTimeout(this.watchdog);
    const run = this.runs[0];
    if (!run) return;
    const started = performance.now();
    this.watchdog = setTimeout(() => this.overran(run, performance.now() - started), run.job.order.timeoutMs + this.options.watchdogGraceMs);
  }

  private overran(run: HeldRun, durationMs: number): void {
    this.options.log.warn("action overran its deadline; replacing its worker", { action: run.job.order.name });
    this.die((order) => overran(order, durationMs), "watchdog");
    void this.worker.terminate();
  }

  /** The first run dies with its worker; the others go back to the pool, unless the worker had started them. */
  private die(firstResult: (order: RunOrder) => ActionRunResult, reason: string): void {
    this.gone = true;
    clearTimeout(this.watchdog);
    const [first, ...rest] = this.runs.splice(0);
    if (first) this.events.settled(first.job, firstResult(first.job.order));
    for (const run of rest) {
      if (claims.takeBack(this.cells, run)) this.events.orphaned(run.job);
      else this.events.settled(run.job, crashed(run.job.order, "the sandbox worker running this action was replaced"));
    }
    this.events.lost(this, reason);
  }
}
