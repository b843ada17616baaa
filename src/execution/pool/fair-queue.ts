/**
 * Per-org FIFO queues served round-robin, with a cap on how many of one
 * org's jobs run at once: a tenant that floods the queue waits behind itself,
 * not in front of everyone else.
 */
export class FairQueue<T> {
  private readonly queues = new Map<string, T[]>();
  private readonly running = new Map<string, number>();
  private order: string[] = [];

  constructor(
    private readonly maxRunningPerOrg: number,
    private readonly maxQueuedPerOrg: number,
  ) {}

  /** False when the org already has as many jobs waiting as it may. */
  push(org: string, job: T): boolean {
    const queue = this.queues.get(org) ?? [];
    if (queue.length >= this.maxQueuedPerOrg) return false;
    if (queue.length === 0) this.order.push(org);
    queue.push(job);
    this.queues.set(org, queue);
    return true;
  }

  /**
   * The next job whose org is under its running cap, taking orgs in turn;
   * marks it running. `after` names the org of a job the taken one will
   * strictly follow on the same worker: that org may exceed its cap by this
   * one job, which cannot run while the other does (`overCap` says so).
   */
  take(after?: string): { org: string; job: T; overCap: boolean } | undefined {
    for (let i = 0; i < this.order.length; i++) {
      const org = this.order[i]!;
      const overCap = (this.running.get(org) ?? 0) >= this.maxRunningPerOrg;
      if (overCap && org !== after) continue;
      const queue = this.queues.get(org)!;
      const job = queue.shift()!;
      this.order.splice(i, 1);
      if (queue.length > 0) this.order.push(org);
      else this.queues.delete(org);
      this.running.set(org, (this.running.get(org) ?? 0) + 1);
      return { org, job, overCap };
    }
    return undefined;
  }

  /** Takes a job out before it ran (its caller went away); false when it is not waiting here. */
  remove(org: string, job: T): boolean {
    const queue = this.queues.get(org);
    const at = queue?.indexOf(job) ?? -1;
    if (!queue || at === -1) return false;
    queue.splice(at, 1);
    if (queue.length === 0) {
      this.queues.delete(org);
      this.order = this.order.filter((o) => o !== org);
    }
    return true;
  }

  done(org: string): void {
    const n = (this.running.get(org) ?? 1) - 1;
    if (n > 0) this.running.set(org, n);
    else this.running.delete(org);
  }

  /** Removes and returns every waiting job (on shutdown). */
  drain(): T[] {
    const jobs = [...this.queues.values()].flat();
    this.queues.clear();
    this.order = [];
    return jobs;
  }
}
