import * as claims from "./claim-cells.js";
import type { PoolJob } from "./pool-job.js";

/** A run handed to a worker. */
export interface HeldRun {
  job: PoolJob;
  /** Its claim (claim-cells.ts). The ticket doubles as the run's id in result messages: both need only be unique per worker. */
  cell: number;
  ticket: number;
  /** Taken past its org's cap because it follows its org's run on this worker: it may not move elsewhere. */
  pinned: boolean;
  /** Aborted when the run is stopped: ends a fetch the run is blocked in. */
  stop: AbortController;
}

/**
 * The runs one worker holds, in the order it runs them: the one it is on
 * and at most one waiting behind it. Each run's claim cell decides whether
 * the worker starts it or the main thread takes it back (claim-cells.ts).
 */
export class HeldRuns {
  private readonly runs: HeldRun[] = [];
  private tickets = 0;

  constructor(private readonly cells: claims.ClaimCells) {}

  get count(): number {
    return this.runs.length;
  }

  /** The run the worker is on. */
  get first(): HeldRun | undefined {
    return this.runs[0];
  }

  /** Claims a cell for the run, before it is posted, so the worker always finds its ticket. */
  add(job: PoolJob, pinned: boolean): HeldRun {
    const run: HeldRun = { job, ticket: ++this.tickets, cell: claims.freeCell(this.runs), pinned, stop: new AbortController() };
    claims.offer(this.cells, run);
    this.runs.push(run);
    return run;
  }

  /** The run waiting behind the first, taken back; none if it is pinned or the worker just started it. */
  takeBackWaiting(): PoolJob | undefined {
    const waiting = this.runs[1];
    if (!waiting || waiting.pinned || !claims.takeBack(this.cells, waiting)) return undefined;
    this.runs.pop();
    return waiting.job;
  }

  /** Takes the run back if the worker has not started it, else asks the worker to stop it; its result then comes back as usual. */
  withdraw(job: PoolJob): "taken back" | "stopping" | "not held" {
    const at = this.runs.findIndex((r) => r.job === job);
    if (at === -1) return "not held";
    const run = this.runs[at]!;
    if (claims.takeBack(this.cells, run)) {
      this.runs.splice(at, 1);
      return "taken back";
    }
    claims.stopStarted(this.cells, run);
    run.stop.abort();
    return "stopping";
  }

  /** Removes the first run, whose result is in; the worker is on the next one, if any. */
  shift(): HeldRun | undefined {
    return this.runs.shift();
  }

  /**
   * Empties the list when the worker is gone: the run it was on, the runs it
   * had not started (taken back, so it never will), and those it had.
   */
  release(): { first?: HeldRun; takenBack: PoolJob[]; started: PoolJob[] } {
    const [first, ...rest] = this.runs.splice(0);
    const takenBack: PoolJob[] = [];
    const started: PoolJob[] = [];
    for (const run of rest) (claims.takeBack(this.cells, run) ? takenBack : started).push(run.job);
    return { first, takenBack, started };
  }
}
