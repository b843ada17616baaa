import { Worker } from "node:worker_threads";
import type { Logger } from "../../logger.js";
import { type ActionRunResult, type FromWorker, type ToWorker, fetchHeaderBytes } from "../../runtime/index.js";
import type { RunOrder } from "../action-runner.js";
import { claimCells } from "./claim-cells.js";
import { type EgressFetcher, answerFetch } from "./fetch-bridge.js";
import { type HeldRun, HeldRuns } from "./held-runs.js";
import { type PoolJob, jobFields } from "./pool-job.js";
import { crashed, overran } from "./run-results.js";
import { SecretsSent } from "./secrets-sent.js";
import { Watchdog } from "./watchdog.js";

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
  /**
   * The worker is gone (it failed, exited, or the watchdog terminated it); the
   * slot holds nothing and takes nothing more. `org` is that of the run it was
   * on, which cost the worker.
   */
  lost(slot: WorkerSlot, reason: string, org?: string): void;
  /** The worker can take more: it has loaded, or a run ended. */
  freed(): void;
}

const bootstrap = new URL("./worker-bootstrap.mjs", import.meta.url);

/** The reason a slot gives when the watchdog terminated its worker. */
export const watchdogReason = "watchdog";

/** Built (dist/), the entry is JavaScript and starts as it is; from the sources (tests, benches) it goes through tsx's loader. */
function workerScript(entry: URL): URL {
  return entry.pathname.endsWith(".ts") ? bootstrap : entry;
}

/**
 * One worker thread and the runs it holds (held-runs.ts): the one it is on
 * and at most one waiting behind it in its message queue, so it starts that
 * one without waiting for the main thread's event loop. A watchdog
 * terminates a worker that overruns its run's deadline, since C builtins such
 * as sort ignore QuickJS's interrupt handler. A worker that fails ends its
 * run at once. Which run goes to which worker is the pool's choice
 * (worker-pool.ts); see docs/worker-pool.md.
 */
export class WorkerSlot {
  private readonly worker: Worker;
  private readonly shared: SharedArrayBuffer;
  private readonly runs: HeldRuns;
  private loaded = false;
  private readonly spawnedAt = performance.now();
  private gone = false;
  private readonly watchdog: Watchdog;
  /** A replacement worker holds no secrets: it comes with a new slot, and a new record of what was sent. */
  private readonly secretsSent = new SecretsSent();

  constructor(
    private readonly options: WorkerSlotOptions,
    private readonly events: SlotEvents,
  ) {
    this.shared = new SharedArrayBuffer(fetchHeaderBytes + options.fetchBufferBytes);
    this.runs = new HeldRuns(claimCells(this.shared));
    this.watchdog = new Watchdog(options.watchdogGraceMs, (run, durationMs) => this.overran(run, durationMs));
    this.worker = new Worker(workerScript(options.entry), {
      workerData: { entry: options.entry.href, shared: this.shared },
      resourceLimits: { stackSizeMb: 4, maxOldGenerationSizeMb: 128 },
    });
    this.worker.on("message", (msg: FromWorker) => this.onMessage(msg));
    this.worker.on("messageerror", (err) => this.onUnreadable(err));
    this.worker.on("error", (err) => this.onError(err));
    this.worker.on("exit", (code) => this.onExit(code));
  }

  /** The worker has loaded and takes runs. */
  get ready(): boolean {
    return this.loaded;
  }

  /** 0 (idle), 1 (running) or 2 (running, one waiting behind). */
  get held(): number {
    return this.runs.count;
  }

  /** The org of the run the worker is on. */
  get runningOrg(): string | undefined {
    return this.runs.first?.job.org;
  }

  /** Hands the worker a run, which it starts once the one it is on ends. A pinned run is never taken back for another worker. */
  offer(job: PoolJob, pinned: boolean): void {
    const run = this.runs.add(job, pinned);
    if (this.runs.count === 1) this.watchdog.watch(run);
    const { secrets, ...request } = job.order;
    const delivery = this.secretsSent.deliver(job.org, secrets);
    this.worker.postMessage({ type: "run", id: run.ticket, ticket: run.ticket, cell: run.cell, request, secrets: delivery } satisfies ToWorker);
  }

  /** The run waiting behind the running one, taken back for an idle worker; none if it is pinned or the worker just started it. */
  takeBackWaiting(): PoolJob | undefined {
    return this.runs.takeBackWaiting();
  }

  /**
   * For a run whose caller went away: takes it back if the worker has not
   * started it, else asks the worker to stop it, and its result comes back
   * as usual as soon as the worker sees the stop.
   */
  withdraw(job: PoolJob): "taken back" | "stopping" | "not held" {
    const first = this.runs.first;
    const withdrawn = this.runs.withdraw(job);
    if (this.runs.first !== first) this.watchdog.watch(this.runs.first);
    return withdrawn;
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
        this.options.log.debug("pool: worker ready", { loadMs: Math.round(performance.now() - this.spawnedAt) });
        return this.events.freed();
      case "result":
        if (this.runs.first?.ticket === msg.id) this.finishFirst(msg.result);
        return this.events.freed();
      case "fetch":
        // Messages come in order: the run fetching is the first one the slot holds.
        void answerFetch(this.options.fetcher, msg.seq, msg.request, this.shared, this.runs.first?.stop.signal);
        return;
      case "output":
        this.options.log.debug("pool: the QuickJS module printed", { text: msg.text, org: this.runs.first?.job.org });
        return;
    }
  }

  /**
   * A message the main thread could not deserialise (a value nested too
   * deeply for its stack, say). "ready" and fetch requests hold only flat
   * strings, and messages come in order, so it was the result of the run the
   * worker is on: that run fails now, and the worker, already on its next
   * run, stays. A worker that holds no run is in no known state: it goes.
   */
  private onUnreadable(err: Error): void {
    if (this.gone) return;
    const run = this.runs.first;
    this.options.log.warn("an action's result could not be read", { ...(run && jobFields(run.job)), err });
    if (!run) return this.fail(`unreadable message (${err.message})`);
    this.finishFirst(crashed(run.job.order, `the action's result could not be read (${err.message}); a value may be nested too deeply`));
    this.events.freed();
  }

  /** An uncaught error ends the worker: its run fails now, not when the exit follows. */
  private onError(err: Error): void {
    this.options.log.error("action worker failed", { err });
    if (!this.gone) this.fail(err.message);
  }

  private onExit(code: number): void {
    if (this.gone) return;
    this.die((order) => crashed(order, `the sandbox worker exited (code ${code})`), `exited (code ${code})`);
  }

  /** Ends a worker that cannot go on: its run fails with `reason`, and the runs it had not started go back. */
  private fail(reason: string): void {
    this.die((order) => crashed(order, `the sandbox worker failed: ${reason}`), reason);
    void this.worker.terminate();
  }

  /** Settles the run the worker was on; the worker is then on the next one, if it holds one. */
  private finishFirst(result: ActionRunResult): void {
    const run = this.runs.shift()!;
    this.watchdog.watch(this.runs.first);
    this.events.settled(run.job, result);
  }

  private overran(run: HeldRun, durationMs: number): void {
    this.options.log.warn("action overran its deadline; replacing its worker", jobFields(run.job));
    this.die((order) => overran(order, durationMs), watchdogReason);
    void this.worker.terminate();
  }

  /** The first run dies with its worker; the others go back to the pool, unless the worker had started them. */
  private die(firstResult: (order: RunOrder) => ActionRunResult, reason: string): void {
    this.gone = true;
    this.watchdog.stop();
    const { first, takenBack, started } = this.runs.release();
    if (first) this.events.settled(first.job, firstResult(first.job.order));
    for (const job of started) this.events.settled(job, crashed(job.order, "the sandbox worker running this action was replaced"));
    for (const job of takenBack) this.events.orphaned(job);
    this.events.lost(this, reason, first?.job.org);
  }
}
