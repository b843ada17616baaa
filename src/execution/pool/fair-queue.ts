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

  /** Jobs waiting, all orgs together. */
  get waiting(): number {
    let n = 0;
    for (const queue of this.queues.values()) n += queue.length;
    return n;
  }

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
   * strictly follow on the same worker: when no org under its cap has a job,
   * that org may exceed its cap by this one job, which cannot run while the
   * other does (`overCap` says so). It never goes ahead of another org's turn.
   */
  take(after?: string): { org: string; job: T; overCap: boolean } | undefined {
    const org = this.order.find((o) => this.underCap(o)) ?? (after !== undefined && this.queues.has(after) ? after : undefined);
    if (org === undefined) return undefined;
    const overCap = !this.underCap(org);
    const queue = this.queues.get(org)!;
    const job = queue.shift()!;
    this.order.splice(this.order.indexOf(org), 1);
    if (queue.length > 0) this.order.push(org);
    else this.queues.delete(org);
    this.charge(org);
    return { org, job, overCap };
  }

  /**
   * Puts back a job taken earlier that never ran (its worker was lost), no
   * longer running: first in its org's queue, and its org first in turn if
   * nothing else of it waits. The org's queue may exceed its limit by this
   * job, which was accepted already.
   */
  putBack(org: string, job: T): void {
    this.done(org);
    const queue = this.queues.get(org);
    if (queue) return void queue.unshift(job);
    this.queues.set(org, [job]);
    this.order.unshift(org);
  }

  /** Counts one more running job of the org: one taken, or capacity the org holds without a job (see worker-pool.ts). */
  charge(org: string): void {
    this.running.set(org, (this.running.get(org) ?? 0) + 1);
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

  /** One of the org's running jobs ended (or its capacity was given back). */
  done(org: string): void {
    const n = (this.running.get(org) ?? 1) - 1;
    if (n > 0) this.running.set(org, n);
    else this.running.delete(org);
  }

  private underCap(org: string): boolean {
    return (this.running.get(org) ?? 0) < this.maxRunningPerOrg;
  }

  /** Removes and returns every waiting job (on shutdown). */
  drain(): T[] {
    const jobs = [...this.queues.values()].flat();
    this.queues.clear();
    this.order = [];
    return jobs;
  }
}
