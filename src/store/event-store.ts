import type { EventStore, EventTransaction, Snapshot } from "../event/event-store.js";
import type { AggregateType, NewEvent, StoredEvent, UniqueConstraint } from "../event/events.js";
import { projectEvent } from "./projections/index.js";
import type { Sql, SqlDatabase } from "./sql.js";

export interface EventRow {
  position: number;
  aggregate_type: AggregateType;
  aggregate_id: string;
  sequence: number;
  type: string;
  payload: string;
  resource_owner: string;
  creator: string;
  created_at: number;
}

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    position: row.position,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    sequence: row.sequence,
    type: row.type,
    payload: JSON.parse(row.payload),
    resourceOwner: row.resource_owner,
    creator: row.creator,
    createdAt: new Date(row.created_at),
  } as StoredEvent;
}

const readEvents = `SELECT position, aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at
  FROM events WHERE aggregate_type = ? AND aggregate_id = ? AND sequence > ? ORDER BY sequence`;
const lastSequence = "SELECT COALESCE(MAX(sequence), 0) AS last_sequence FROM events WHERE aggregate_type = ? AND aggregate_id = ?";
const insertEvent = `INSERT INTO events (aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at)
  VALUES (@aggregateType, @aggregateId, @sequence, @type, @payload, @resourceOwner, @creator, @createdAt)
  RETURNING position`;
const addUnique = "INSERT INTO unique_constraints (kind, key) VALUES (?, ?) ON CONFLICT DO NOTHING";
const removeUnique = "DELETE FROM unique_constraints WHERE kind = ? AND key = ?";
const readSnapshot = "SELECT sequence, state FROM snapshots WHERE aggregate_type = ? AND aggregate_id = ? AND name = ?";
const saveSnapshot = `INSERT INTO snapshots (aggregate_type, aggregate_id, name, sequence, state) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (aggregate_type, aggregate_id, name) DO UPDATE SET sequence = excluded.sequence, state = excluded.state`;

/**
 * The event log, on either engine. Each `transact` is one database
 * transaction (SqlDatabase.transaction): a command's read-decide-append and
 * the projections of what it appends commit together or not at all. A new
 * EventTransaction per attempt, so a retried attempt starts from what it reads
 * again.
 */
export function createEventStore(db: SqlDatabase, now: () => Date = () => new Date()): EventStore {
  return {
    transact: (fn) => db.transaction((tx) => fn(eventTransaction(tx, now))),
  };
}

/**
 * The event operations over a transaction that is already open, for code
 * that writes more than events in it (auth/bootstrap.ts).
 *
 * Optimistic concurrency: the transaction remembers, per aggregate, the last
 * sequence it read (the snapshot's, when no event follows it), and appends at
 * the sequences after it. Two nodes that decided on the same state thus write
 * the same sequence, and the events' UNIQUE (aggregate_type, aggregate_id,
 * sequence) refuses the second; PostgreSQL's adapter then runs that
 * transaction again from the start, and it decides on the new state. Only an
 * aggregate the transaction never read continues from its highest sequence.
 */
export function eventTransaction(tx: Sql, now: () => Date): EventTransaction {
  const lastSeen = new Map<string, number>();
  const aggregateKey = (type: AggregateType, id: string) => `${type}/${id}`;

  function saw(type: AggregateType, id: string, sequence: number): void {
    const key = aggregateKey(type, id);
    lastSeen.set(key, Math.max(lastSeen.get(key) ?? 0, sequence));
  }

  async function nextSequence(type: AggregateType, id: string): Promise<number> {
    const seen = lastSeen.get(aggregateKey(type, id));
    if (seen !== undefined) return seen + 1;
    const row = await tx.get<{ last_sequence: number }>(lastSequence, [type, id]);
    return Number(row?.last_sequence ?? 0) + 1;
  }

  async function applyConstraint(c: UniqueConstraint): Promise<void> {
    if (c.op === "remove") {
      await tx.run(removeUnique, [c.kind, c.key]);
      return;
    }
    if ((await tx.run(addUnique, [c.kind, c.key])) === 0) {
      throw c.conflict?.() ?? new Error(`unique constraint ${c.kind} violated`);
    }
  }

  async function appendOne(event: NewEvent, createdAt: Date): Promise<StoredEvent> {
    for (const c of event.uniqueConstraints ?? []) await applyConstraint(c);
    const sequence = await nextSequence(event.aggregateType, event.aggregateId);
    const { uniqueConstraints: _ignored, ...rest } = event;
    const row = await tx.get<{ position: number }>(insertEvent, {
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      sequence,
      type: event.type,
      payload: JSON.stringify(event.payload),
      resourceOwner: event.resourceOwner,
      creator: event.creator,
      createdAt: createdAt.getTime(),
    });
    saw(event.aggregateType, event.aggregateId, sequence);
    const stored = { ...rest, sequence, createdAt, position: Number(row!.position) } as StoredEvent;
    await projectEvent(tx, stored);
    return stored;
  }

  return {
    async readAggregate(type, id, afterSequence = 0) {
      const events = (await tx.all<EventRow>(readEvents, [type, id, afterSequence])).map(eventFromRow);
      saw(type, id, events.at(-1)?.sequence ?? afterSequence);
      return events;
    },
    async append(events) {
      const createdAt = now();
      const stored: StoredEvent[] = [];
      for (const event of events) stored.push(await appendOne(event, createdAt));
      return stored;
    },
    async readSnapshot(type, id, name): Promise<Snapshot | undefined> {
      const row = await tx.get<{ sequence: number; state: string }>(readSnapshot, [type, id, name]);
      return row && { sequence: row.sequence, state: JSON.parse(row.state) };
    },
    async saveSnapshot(type, id, name, { sequence, state }) {
      await tx.run(saveSnapshot, [type, id, name, sequence, JSON.stringify(state)]);
    },
  };
}

/** An event store whose transactions are the one already open: for work that must commit with other writes (bootstrap, seeding). */
export function eventStoreIn(tx: Sql, now: () => Date = () => new Date()): EventStore {
  return { transact: (fn) => fn(eventTransaction(tx, now)) };
}
