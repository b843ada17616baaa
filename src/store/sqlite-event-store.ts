import type { EventStore, EventTransaction, Snapshot } from "../event/event-store.js";
import type { AggregateType, NewEvent, StoredEvent, UniqueConstraint } from "../event/events.js";
import type { Db } from "./database.js";
import { projectEvent } from "./projections/index.js";

interface EventRow {
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

function eventFromRow(row: EventRow): StoredEvent {
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

/**
 * The event log in SQLite. Each `transact` is one IMMEDIATE transaction, so a
 * command's read-decide-append cannot interleave with another writer, in this
 * process or another; projections are updated inside it.
 */
export function createSqliteEventStore(db: Db, now: () => Date = () => new Date()): EventStore {
  const readStmt = db.prepare<[string, string, number], EventRow>(
    "SELECT * FROM events WHERE aggregate_type = ? AND aggregate_id = ? AND sequence > ? ORDER BY sequence",
  );
  const lastSequenceStmt = db
    .prepare<[string, string], number>(
      "SELECT COALESCE(MAX(sequence), 0) FROM events WHERE aggregate_type = ? AND aggregate_id = ?",
    )
    .pluck();
  const insertStmt = db.prepare(
    `INSERT INTO events (aggregate_type, aggregate_id, sequence, type, payload, resource_owner, creator, created_at)
     VALUES (@aggregateType, @aggregateId, @sequence, @type, @payload, @resourceOwner, @creator, @createdAt)`,
  );
  const addUniqueStmt = db.prepare("INSERT OR IGNORE INTO unique_constraints (kind, key) VALUES (?, ?)");
  const removeUniqueStmt = db.prepare("DELETE FROM unique_constraints WHERE kind = ? AND key = ?");
  const readSnapshotStmt = db.prepare<[string, string, string], { sequence: number; state: string }>(
    "SELECT sequence, state FROM snapshots WHERE aggregate_type = ? AND aggregate_id = ? AND name = ?",
  );
  const saveSnapshotStmt = db.prepare(
    `INSERT INTO snapshots (aggregate_type, aggregate_id, name, sequence, state) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (aggregate_type, aggregate_id, name) DO UPDATE SET sequence = excluded.sequence, state = excluded.state`,
  );

  function applyConstraint(c: UniqueConstraint): void {
    if (c.op === "remove") {
      removeUniqueStmt.run(c.kind, c.key);
      return;
    }
    if (addUniqueStmt.run(c.kind, c.key).changes === 0) {
      throw c.conflict?.() ?? new Error(`unique constraint ${c.kind} violated`);
    }
  }

  function append(events: NewEvent[]): StoredEvent[] {
    const createdAt = now();
    return events.map((event) => {
      event.uniqueConstraints?.forEach(applyConstraint);
      const sequence = lastSequenceStmt.get(event.aggregateType, event.aggregateId)! + 1;
      const { uniqueConstraints: _ignored, ...rest } = event;
      const { lastInsertRowid } = insertStmt.run({
        ...rest,
        sequence,
        payload: JSON.stringify(event.payload),
        createdAt: createdAt.getTime(),
      });
      const stored = { ...rest, sequence, createdAt, position: Number(lastInsertRowid) } as StoredEvent;
      projectEvent(db, stored);
      return stored;
    });
  }

  function readSnapshot(type: AggregateType, id: string, name: string): Snapshot | undefined {
    const row = readSnapshotStmt.get(type, id, name);
    return row && { sequence: row.sequence, state: JSON.parse(row.state) };
  }

  const tx: EventTransaction = {
    readAggregate: (type, id, afterSequence = 0) => readStmt.all(type, id, afterSequence).map(eventFromRow),
    append,
    readSnapshot,
    saveSnapshot: (type, id, name, { sequence, state }) => {
      saveSnapshotStmt.run(type, id, name, sequence, JSON.stringify(state));
    },
  };

  return {
    transact: (fn) => db.transaction(() => fn(tx)).immediate(),
  };
}
