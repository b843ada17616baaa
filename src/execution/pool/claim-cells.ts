import { fetchHeaderSlots, runsPerWorker } from "./messages.js";

/**
 * Who starts a run handed to a worker: the worker, or the main thread taking
 * it back. Each run a worker holds has an int32 cell in the buffer it shares
 * with the main thread; run `ticket` uses cell `ticket % runsPerWorker`:
 * - ticket: sent, not started;
 * - −ticket: the worker started it (it swapped the ticket for its negative);
 * - 0: the main thread took it back before it started, or stopped it since.
 * Each change is one compare-and-swap, so exactly one side wins a race.
 */
export type ClaimCells = Int32Array;

export function claimCells(shared: SharedArrayBuffer): ClaimCells {
  return new Int32Array(shared, fetchHeaderSlots.claims * 4, runsPerWorker);
}

const cellOf = (ticket: number) => ticket % runsPerWorker;

/** Marks a run as sent; before it is posted, so the worker always finds its ticket. */
export function offer(cells: ClaimCells, ticket: number): void {
  Atomics.store(cells, cellOf(ticket), ticket);
}

/** True when the run had not started: the worker will skip it. */
export function takeBack(cells: ClaimCells, ticket: number): boolean {
  return Atomics.compareExchange(cells, cellOf(ticket), ticket, 0) === ticket;
}

/** Asks the worker to stop a started run: its interrupt check sees the cell change. */
export function stopStarted(cells: ClaimCells, ticket: number): void {
  Atomics.compareExchange(cells, cellOf(ticket), -ticket, 0);
}
