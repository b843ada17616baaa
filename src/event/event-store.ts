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

export interface EventTransaction {
  /** The aggregate's events in sequence order; empty when it does not exist. */
  readAggregate(type: AggregateType, id: string): StoredEvent[];
  /**
   * Appends events in order and returns them stored. Throws the conflict's
   * DomainError when a unique constraint is already taken.
   */
  append(events: NewEvent[]): StoredEvent[];
}
