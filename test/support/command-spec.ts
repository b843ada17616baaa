import { expect } from "vitest";
import type { CommandDeps } from "../../src/command/command-context.js";
import { DomainError } from "../../src/domain/errors.js";
import type { EventStore } from "../../src/event/event-store.js";
import type { NewEvent } from "../../src/event/events.js";
import { type Db, openDatabase } from "../../src/store/database.js";
import { createSqliteEventStore } from "../../src/store/sqlite-event-store.js";

/** The store's clock: every event of a spec is created at this time. */
export const specNow = new Date("2026-01-02T03:04:05.000Z");
/** The id `deps.newId()` hands out. */
export const newId = "new-id";

/** An event as a command should append it, at its aggregate's sequence. */
export type ExpectedEvent = NewEvent & { sequence: number };

/** `event` as appended at its aggregate's `sequence`. */
export const at = (sequence: number, event: NewEvent): ExpectedEvent => ({ ...event, sequence });

type Outcome<T> = { ok: true; result: T } | { ok: false; error: unknown };

interface Committed {
  outcome: Outcome<unknown>;
  appended: ExpectedEvent[];
  eventCount: number;
}

/** The store, recording what each transaction appended once it commits. */
function recording(store: EventStore, appended: ExpectedEvent[]): EventStore {
  return {
    transact(fn) {
      const batch: ExpectedEvent[] = [];
      const result = store.transact((tx) =>
        fn({
          ...tx,
          append(events) {
            const stored = tx.append(events);
            stored.forEach((s, i) => batch.push({ ...s, uniqueConstraints: events[i]!.uniqueConstraints } as ExpectedEvent));
            return stored;
          },
        }),
      );
      appended.push(...batch);
      return result;
    },
  };
}

function run(given: NewEvent[], command: (deps: CommandDeps) => unknown): Committed {
  const db = openDatabase(":memory:");
  try {
    return runOn(db, given, command);
  } finally {
    db.close();
  }
}

function runOn(db: Db, given: NewEvent[], command: (deps: CommandDeps) => unknown): Committed {
  const store = createSqliteEventStore(db, () => specNow);
  try {
    if (given.length > 0) store.transact((tx) => tx.append(given));
  } catch (error) {
    throw new Error("the given events contradict each other", { cause: error });
  }
  const appended: ExpectedEvent[] = [];
  let outcome: Outcome<unknown>;
  try {
    outcome = { ok: true, result: command({ store: recording(store, appended), newId: () => newId }) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const eventCount = db.prepare("SELECT COUNT(*) FROM events").pluck().get() as number;
  return { outcome, appended, eventCount };
}

/** What the spec compares: the event without its position and time, constraints without their conflict function. */
function comparable(event: ExpectedEvent) {
  const { aggregateType, aggregateId, resourceOwner, creator, type, payload, sequence } = event;
  const constraints = (event.uniqueConstraints ?? []).map(({ op, kind, key }) => ({ op, kind, key }));
  return { aggregateType, aggregateId, sequence, type, payload, resourceOwner, creator, constraints };
}

const pick = ({ code, id, text }: DomainError) => ({ code, id, text });

/**
 * given(events).when(command).thenEvents(...) / .thenThrows(error), in the
 * manner of Emmett's DeciderSpecification. The given events are appended to
 * a fresh in-memory SQLite event store (with their unique constraints); the
 * command then runs against that store, and the spec compares what it
 * committed, or the DomainError it threw.
 */
export function given(...events: NewEvent[]) {
  return {
    when<T>(command: (deps: CommandDeps) => T) {
      return {
        /** Asserts the command committed exactly these events, in order; returns its result. */
        thenEvents(...expected: ExpectedEvent[]): T {
          const { outcome, appended } = run(events, command);
          if (!outcome.ok) throw outcome.error;
          expect(appended.map(comparable)).toEqual(expected.map(comparable));
          return outcome.result as T;
        },
        /** Asserts the command threw this error (code, id and text) and the store holds only the given events. */
        thenThrows(expected: () => DomainError): void {
          const { outcome, eventCount } = run(events, command);
          if (outcome.ok) throw new Error(`expected ${expected().id}, but the command succeeded`);
          expect(outcome.error).toBeInstanceOf(DomainError);
          expect(pick(outcome.error as DomainError)).toEqual(pick(expected()));
          expect(eventCount).toBe(events.length);
        },
      };
    },
  };
}
