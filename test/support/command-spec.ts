import { expect } from "vitest";
import type { CommandDeps } from "../../src/command/command-context.js";
import { DomainError } from "../../src/domain/errors.js";
import type { EventStore } from "../../src/event/event-store.js";
import type { NewEvent } from "../../src/event/events.js";
import { createEventStore } from "../../src/store/event-store.js";
import type { SqlDatabase } from "../../src/store/sql.js";
import { openSqliteDatabase } from "../../src/store/sqlite/sqlite-database.js";

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
    async transact(fn) {
      let batch: ExpectedEvent[] = [];
      const result = await store.transact((tx) => {
        // A transaction run again records only its last run's appends.
        batch = [];
        return fn({
          ...tx,
          async append(events) {
            const stored = await tx.append(events);
            stored.forEach((s, i) => batch.push({ ...s, uniqueConstraints: events[i]!.uniqueConstraints } as ExpectedEvent));
            return stored;
          },
        });
      });
      appended.push(...batch);
      return result;
    },
  };
}

async function run(given: NewEvent[], command: (deps: CommandDeps) => Promise<unknown>): Promise<Committed> {
  const db = openSqliteDatabase(":memory:");
  try {
    return await runOn(db, given, command);
  } finally {
    await db.close();
  }
}

async function runOn(db: SqlDatabase, given: NewEvent[], command: (deps: CommandDeps) => Promise<unknown>): Promise<Committed> {
  const store = createEventStore(db, () => specNow);
  try {
    if (given.length > 0) await store.transact((tx) => tx.append(given));
  } catch (error) {
    throw new Error("the given events contradict each other", { cause: error });
  }
  const appended: ExpectedEvent[] = [];
  let outcome: Outcome<unknown>;
  try {
    outcome = { ok: true, result: await command({ store: recording(store, appended), newId: () => newId }) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const counted = await db.get<{ count: number }>("SELECT COUNT(*) AS count FROM events");
  return { outcome, appended, eventCount: Number(counted!.count) };
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
    when<T>(command: (deps: CommandDeps) => Promise<T>) {
      return {
        /** Asserts the command committed exactly these events, in order; answers its result. */
        async thenEvents(...expected: ExpectedEvent[]): Promise<T> {
          const { outcome, appended } = await run(events, command);
          if (!outcome.ok) throw outcome.error;
          expect(appended.map(comparable)).toEqual(expected.map(comparable));
          return outcome.result as T;
        },
        /** Asserts the command threw this error (code, id and text) and the store holds only the given events. */
        async thenThrows(expected: () => DomainError): Promise<void> {
          const { outcome, eventCount } = await run(events, command);
          if (outcome.ok) throw new Error(`expected ${expected().id}, but the command succeeded`);
          expect(outcome.error).toBeInstanceOf(DomainError);
          expect(pick(outcome.error as DomainError)).toEqual(pick(expected()));
          expect(eventCount).toBe(events.length);
        },
      };
    },
  };
}
