import type { EventStore } from "../event/event-store.js";
import type { StoredEvent } from "../event/events.js";

/** What every command needs, injected so tests can fix ids and stores. */
export interface CommandDeps {
  store: EventStore;
  newId: () => string;
}

/** ObjectDetails of a manipulation: those of the last event it wrote. */
export interface WriteDetails {
  sequence: number;
  eventDate: Date;
  resourceOwner: string;
}

export function detailsOf(events: StoredEvent[]): WriteDetails {
  const last = events[events.length - 1];
  if (!last) throw new Error("a command wrote no event");
  return { sequence: last.sequence, eventDate: last.createdAt, resourceOwner: last.resourceOwner };
}
