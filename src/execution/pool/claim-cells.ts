import { claimCellsOf, runsPerWorker } from "../../runtime/index.js";

/**
 * Who starts a run handed to a worker: the worker, or the main thread taking
 * it back. Each run a worker holds has its own int32 cell in the buffer it
 * shares with the main thread (a cell no other held run uses; tickets are
 * unique per worker, so a stale message never matches a reused cell):
 * - ticket: sent, not started;
 * - −ticket: the worker started it (it swapped the ticket for its negative);
 * - 0: the main thread took it back before it started, or stopped it since.
 * Each change is one compare-and-swap, so exactly one side wins a race.
 */
export type ClaimCells = Int32Array;

export function claimCells(shared: SharedArrayBuffer): ClaimCells {
  return claimCellsOf(shared);
}

/** A run's place: its cell and its ticket. */
export interface Claim {
  cell: number;
  ticket: number;
}

/** The cell none of `held` uses. */
export function freeCell(held: readonly Claim[]): number {
  for (let cell = 0; cell < runsPerWorker; cell++) if (!held.some((c) => c.cell === cell)) return cell;
  throw new Error("a worker holds no more runs than it has claim cells");
}

/** Marks a run as sent; before it is posted, so the worker always finds its ticket. */
export function offer(cells: ClaimCells, { cell, ticket }: Claim): void {
  Atomics.store(cells, cell, ticket);
}

/** True when the run had not started: the worker will skip it. */
export function takeBack(cells: ClaimCells, { cell, ticket }: Claim): boolean {
  return Atomics.compareExchange(cells, cell, ticket, 0) === ticket;
}

/** Asks the worker to stop a started run: its interrupt check sees the cell change. */
export function stopStarted(cells: ClaimCells, { cell, ticket }: Claim): void {
  Atomics.compareExchange(cells, cell, -ticket, 0);
}
