import type { AggregateType, NewEvent, StoredEvent } from "./events.js";

/**
 * The write side's only way to storage. `transact` runs its function
 * atomically: what it reads is consistent with what it appends, and the events
 * it appends commit together with their projections and unique constraints,
 * or not at all. When another writer commits to the same aggregate first, the
 * function may run again from the start, so it must do nothing outside the
 * transaction that a second run would repeat wrongly.
 */
export interface EventStore {
  transact<T>(fn: (tx: EventTransaction) => Promise<T>): Promise<T>;
}

/** A write model's state as of an aggregate's `sequence`, kept so that a command need not fold the events before it. */
export interface Snapshot {
  sequence: number;
  /** JSON-serialisable. */
  state: unknown;
}

export interface EventTransaction {
  /**
   * The aggregate's events after `afterSequence` (default 0: all), in sequence
   * order; empty when there are none. The transaction's appends to the
   * aggregate then follow the last event read, so they conflict with any
   * event another writer appended meanwhile.
   */
  readAggregate(type: AggregateType, id: string, afterSequence?: number): Promise<StoredEvent[]>;
  /**
   * Appends events in order and returns them stored. Throws the conflict's
   * DomainError when a unique constraint is already taken.
   */
  append(events: NewEvent[]): Promise<StoredEvent[]>;
  /** The aggregate's snapshot of that name, if one was saved. */
  readSnapshot(type: AggregateType, id: string, name: string): Promise<Snapshot | undefined>;
  /** Replaces the aggregate's snapshot of that name; it commits with the transaction or not at all. */
  saveSnapshot(type: AggregateType, id: string, name: string, snapshot: Snapshot): Promise<void>;
}
