import type { ActionRunResult } from "../../runtime/index.js";
import type { ActionRunner, RunOrder } from "../action-runner.js";
import { executionErrors } from "../../domain/execution-errors.js";
import { FairQueue } from "./fair-queue.js";
import { type PoolJob, jobFields } from "./pool-job.js";
import { type PoolLoad, type PoolMetrics, unmeasured } from "./pool-metrics.js";
import { notRun } from "./run-results.js";
import { type SlotEvents, WorkerSlot, type WorkerSlotOptions, watchdogReason } from "./worker-slot.js";

export interface WorkerPoolOptions extends WorkerSlotOptions {
  /** Worker threads; one run at a time each. */
  size: number;
  maxRunningPerOrg: number;
  maxQueuedPerOrg: number;
  metrics?: PoolMetrics;
}

export interface WorkerPool extends ActionRunner {
  load(): PoolLoad;
  close(): Promise<void>;
}

/**
 * Runs actions in worker threads so a busy script never stalls the API. The
 * pool is the scheduler: orgs are served in turn, each capped (fair-queue.ts);
 * an idle worker gets a run first, and only when every worker is busy does a
 * run wait behind another in a worker's queue (worker-slot.ts), from where an
 * idle worker takes it back. A worker that fails or overruns is replaced, and
 * the runs it had not started go back to the queue. See docs/worker-pool.md.
 */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { log, metrics = unmeasured } = options;
  if (options.maxRunningPerOrg >= options.size) {
    const fields = { workers: options.size, orgConcurrency: options.maxRunningPerOrg };
    log.warn("one org may run on every worker at once, and other orgs then wait for it", fields);
  }
  const queue = new FairQueue<PoolJob>(options.maxRunningPerOrg, options.maxQueuedPerOrg);
  /** In the order they were started: earlier workers are offered runs first. */
  const slots = new Set<WorkerSlot>();
  /**
   * Replacements still loading, each with the org whose run cost the worker
   * it replaces. That run counts against its org until the replacement is
   * ready, so the org cannot take the workers left to the others meanwhile.
   */
  const owed = new Map<WorkerSlot, string>();
  /** close() waiting for the workers to finish what they hold. */
  const drainWaiters: (() => void)[] = [];
  let closed = false;

  const events: SlotEvents = {
    settled,
    orphaned(job) {
      log.debug("pool: run given back by a lost worker", jobFields(job));
      if (!closed) return queue.putBack(job.org, job);
      // Shutting down: no worker may be left to run it.
      queue.done(job.org);
      job.reject(executionErrors.unavailable());
    },
    lost(slot, reason, org) {
      slots.delete(slot);
      log.debug("pool: worker lost", { reason, replaced: !closed, org });
      if (!closed) metrics.workerReplaced(reason === watchdogReason ? "watchdog" : "crashed");
      if (org !== undefined) queue.charge(org);
      // A replacement lost before it loaded (so holding no run) passes its debt on to its own.
      const debtor = org ?? owed.get(slot);
      owed.delete(slot);
      if (!closed) {
        const next = spawn();
        if (debtor !== undefined) owed.set(next, debtor);
      }
      pump();
    },
    freed: pump,
  };

  function spawn(): WorkerSlot {
    const slot = new WorkerSlot(options, events);
    slots.add(slot);
    return slot;
  }

  function settled(job: PoolJob, result: ActionRunResult): void {
    queue.done(job.org);
    job.resolve(result);
    for (const wake of drainWaiters.splice(0)) wake();
  }

  /**
   * Idle workers first, so a run waits behind another only when every worker
   * is busy. A run waiting in a worker left the queue before any run still in
   * it, so an idle worker takes such a run back first.
   */
  function pump(): void {
    for (const [slot, org] of owed) {
      if (!slot.ready) continue;
      owed.delete(slot);
      queue.done(org);
    }
    const usable = [...slots].filter((s) => s.ready);
    for (const slot of usable) {
      if (slot.held > 0) continue;
      const next = stealWaiting(usable) ?? queue.take()?.job;
      if (!next) break;
      slot.offer(next, false);
    }
    for (const slot of usable) {
      if (slot.held !== 1) continue;
      const next = queue.take(slot.runningOrg);
      if (!next) continue;
      if (next.overCap) log.debug("pool: run pinned behind its org's running one", jobFields(next.job));
      slot.offer(next.job, next.overCap);
    }
  }

  function stealWaiting(usable: WorkerSlot[]): PoolJob | undefined {
    for (const slot of usable) {
      const job = slot.takeBackWaiting();
      if (!job) continue;
      log.debug("pool: waiting run moved to an idle worker", jobFields(job));
      return job;
    }
    return undefined;
  }

  /** A run whose caller went away: not started if it can be helped, stopped if it runs. */
  function callerGone(job: PoolJob): void {
    if (queue.remove(job.org, job)) return job.resolve(notRun(job.order));
    for (const slot of slots) {
      const withdrawn = slot.withdraw(job);
      if (withdrawn === "not held") continue;
      if (withdrawn === "taken back") {
        settled(job, notRun(job.order));
        pump();
      }
      return;
    }
  }

  function start(orgId: string, order: RunOrder, signal: AbortSignal | undefined): Promise<ActionRunResult> {
    if (closed) return Promise.reject(executionErrors.unavailable());
    if (signal?.aborted) return Promise.resolve(notRun(order));
    return new Promise<ActionRunResult>((resolve, reject) => {
      const stop = () => callerGone(job);
      const unlisten = () => signal?.removeEventListener("abort", stop);
      const job: PoolJob = {
        org: orgId,
        order,
        resolve: (result) => (unlisten(), resolve(result)),
        reject: (err) => (unlisten(), reject(err)),
      };
      if (!queue.push(orgId, job)) return job.reject(executionErrors.orgBusy());
      signal?.addEventListener("abort", stop, { once: true });
      pump();
    });
  }

  // Every run's end passes here, however it ended: one place to count them.
  const ended = (result: ActionRunResult) => {
    metrics.runEnded(result.outcome, result.durationMs);
    return result;
  };
  const refused = (err: unknown) => {
    metrics.runRefused();
    throw err;
  };

  const holdsRuns = () => [...slots].some((s) => s.held > 0);

  for (let i = 0; i < options.size; i++) spawn();

  return {
    run: (orgId, order, signal) => start(orgId, order, signal).then(ended, refused),
    load() {
      let busy = 0;
      let waiting = 0;
      for (const slot of slots) {
        if (slot.held > 0) busy++;
        if (slot.held > 1) waiting += slot.held - 1;
      }
      return { queued: queue.waiting + waiting, busy, workers: slots.size };
    },
    /**
     * Refuses queued runs, lets those handed to workers finish (their
     * watchdogs still apply), then stops the workers. A run given back by a
     * worker lost meanwhile is refused as well.
     */
    async close() {
      closed = true;
      for (const job of queue.drain()) job.reject(executionErrors.unavailable());
      // Woken on every settled run; its worker may hold another, so look again.
      while (holdsRuns()) await new Promise<void>((wake) => drainWaiters.push(wake));
      const ending = [...slots];
      slots.clear();
      await Promise.all(ending.map((s) => s.terminate()));
    },
  };
}
