import type { AggregateType, NewEvent, StoredEvent } from "./events.js";

/**
 * The write side's only way to storage. `transact` runs its function
 * atomically: what it reads is consistent with what it appends, and the events
 * it appends commit together with their projections and unique constraints,
 * or not at all.
 */
export interface EventStore {
  transact<T>(fn: (tx: EventTransaction) => T): T;
}

/** A write model's state as of an aggregate's `sequence`, kept so that a command need not fold the events before it. */
export interface Snapshot {
  sequence: number;
  /** JSON-serialisable. */
  state: unknown;
}

export interface EventTransaction {
  /** The aggregate's events after `afterSequence` (default 0: all), in sequence order; empty when there are none. */
  readAggregate(type: AggregateType, id: string, afterSequence?: number): StoredEvent[];
  /**
   * Appends events in order and returns them stored. Throws the conflict's
   * DomainError when a unique constraint is already taken.
   */
  append(events: NewEvent[]): StoredEvent[];
  /** The aggregate's snapshot of that name, if one was saved. */
  readSnapshot(type: AggregateType, id: string, name: string): Snapshot | undefined;
  /** Replaces the aggregate's snapshot of that name; it commits with the transaction or not at all. */
  saveSnapshot(type: AggregateType, id: string, name: string, snapshot: Snapshot): void;
}
