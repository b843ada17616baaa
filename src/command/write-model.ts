import type { EventTransaction } from "../event/event-store.js";
import type { AggregateType, StoredEvent } from "../event/events.js";

/** How a command folds one kind of aggregate into the state it decides on, and keeps that state as a snapshot. */
export interface WriteModel<S> {
  aggregateType: AggregateType;
  /** Names the snapshots; change it whenever `evolve` or the state's shape changes, so that old snapshots are ignored. */
  snapshotName: string;
  initial(id: string): S;
  evolve(state: S, event: StoredEvent): S;
  toSnapshot(state: S): unknown;
  fromSnapshot(saved: unknown): S;
}

/** A write model whose state is plain JSON already: its snapshot is the state itself. */
export function plainWriteModel<S>(model: Omit<WriteModel<S>, "toSnapshot" | "fromSnapshot">): WriteModel<S> {
  return { ...model, toSnapshot: (state) => state, fromSnapshot: (saved) => saved as S };
}

/**
 * A load that folds this many events saves a snapshot of what it folded, so
 * that a write folds about this many at most, however long the aggregate's
 * history (only the first load after an upgrade folds it all). Few
 * aggregates have this many events, so most writes save no snapshot.
 */
export const snapshotEvery = 16;

export function foldEvents<S>(model: WriteModel<S>, state: S, events: StoredEvent[]): S {
  return events.reduce(model.evolve, state);
}

/**
 * The aggregate's current state: its snapshot, if any, and the events after
 * it. Inside the command's transaction, so the snapshot and the events are
 * consistent with each other and with what the command appends.
 */
export async function loadAggregate<S>(tx: EventTransaction, model: WriteModel<S>, id: string): Promise<S> {
  const snapshot = await tx.readSnapshot(model.aggregateType, id, model.snapshotName);
  const start = snapshot ? model.fromSnapshot(snapshot.state) : model.initial(id);
  const events = await tx.readAggregate(model.aggregateType, id, snapshot?.sequence ?? 0);
  const state = foldEvents(model, start, events);
  if (events.length >= snapshotEvery) {
    const sequence = events[events.length - 1]!.sequence;
    await tx.saveSnapshot(model.aggregateType, id, model.snapshotName, { sequence, state: model.toSnapshot(state) });
  }
  return state;
}
