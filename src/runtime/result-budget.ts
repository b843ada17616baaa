import { ApiError } from "./guest-errors.js";

/** The execution a run belongs to: the cap on the results of all its runs, and what the runs before this one used. */
export interface ExecutionResults {
  maxBytes: number;
  usedBytes: number;
}

/**
 * What one run may add to its execution's results, in result-size.ts's bytes:
 * the changes it keeps (also at most `maxRunBytes`, the run's own limit) and
 * its log text. The first addition that does not fit the execution fails the
 * run even when the script catches the error, so its changes are dropped and
 * the record stays under the cap.
 */
export class ResultBudget {
  private changeBytes = 0;
  private logBytes = 0;
  private overflow?: string;

  constructor(
    private readonly maxRunBytes: number,
    private readonly execution?: ExecutionResults,
  ) {}

  /** Counts a change the run keeps; throws an ApiError when it does not fit. */
  charge(bytes: number, what: string): void {
    if (!this.fitsExecution(bytes)) throw new ApiError(this.exceed(what), "RangeError");
    if (this.changeBytes + bytes > this.maxRunBytes) {
      throw new ApiError(`${what}: the run keeps more than ${this.maxRunBytes} bytes of changes`, "RangeError");
    }
    this.changeBytes += bytes;
  }

  /** Counts a log entry; false, and the entry is dropped, when it does not fit. */
  admitLog(bytes: number): boolean {
    if (!this.fitsExecution(bytes)) {
      this.exceed("logs");
      return false;
    }
    this.logBytes += bytes;
    return true;
  }

  /** Why the run fails, once something did not fit into its execution's results. */
  get exceeded(): string | undefined {
    return this.overflow;
  }

  /** What the run adds to its execution's results: its logs, and its changes when it succeeded. */
  addedBytes(succeeded: boolean): number {
    return this.logBytes + (succeeded ? this.changeBytes : 0);
  }

  private fitsExecution(bytes: number): boolean {
    return !this.execution || this.execution.usedBytes + this.changeBytes + this.logBytes + bytes <= this.execution.maxBytes;
  }

  private exceed(what: string): string {
    this.overflow ??= `${what}: this execution's results exceed ${this.execution?.maxBytes} bytes (the changes and logs of all its actions together)`;
    return this.overflow;
  }
}
